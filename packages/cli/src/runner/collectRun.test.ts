import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpExchange } from '@sidetap/core';
import { loadSidetapConfig, sidetapConfigSchema } from '../sidetapConfig';
import type { CaptureSink } from './captureSink';
import { runCollect } from './collectRun';

const TOKEN = 'mirror-token-0123456789';
const quiet = { isTTY: false, write: () => true };

/** A pipeline that takes exchanges and sends none on until released: its backlog only grows. */
function stalledSink(): { sink: CaptureSink; release: () => void } {
  const taken: HttpExchange[] = [];
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const sink: CaptureSink = {
    onExchange: (ex) => void taken.push(ex),
    drain: async () => {
      await gate;
      taken.length = 0;
    },
    backlog: () => taken.length,
    failed: new Promise<never>(() => undefined),
  };
  return { sink, release: open };
}

const batch = (from: number): string =>
  [from, from + 1]
    .map((n) => JSON.stringify({ id: `r${n}`, started_at: 1715684400000 + n, client: { ip: '192.0.2.1' }, request: { method: 'GET', target: `/item/${n}` } }))
    .join('\n');

/** Runs collect with a mirror listener over a stalled pipeline, posts five batches of two records, and gives their statuses. */
async function statusesWith(config: unknown): Promise<{ statuses: number[]; throttled: number | undefined }> {
  const { sink, release } = stalledSink();
  let stop: (why: string) => void = () => undefined;
  const stopSignal = new Promise<string>((resolve) => (stop = resolve));
  let labels: string[] = [];
  const run = runCollect(sink, {
    specs: [{ kind: 'mirror', host: '127.0.0.1', port: 0, token: TOKEN }],
    config: sidetapConfigSchema.parse(config),
    redactionKey: Buffer.alloc(32, 3),
    workers: 0,
    stderr: quiet,
    stopSignal,
    onStarted: (l) => (labels = l),
  });
  while (labels.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const url = /^mirror-http (http:\/\/\S+)$/.exec(labels[0]!)![1]!;
  const statuses: number[] = [];
  try {
    for (let k = 0; k < 5; k++) {
      const reply = await fetch(`${url}/v1/exchanges`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, body: batch(2 * k) });
      await reply.arrayBuffer();
      statuses.push(reply.status);
    }
  } finally {
    stop('test');
    release();
  }
  const { summary } = await run;
  return { statuses, throttled: summary.counters['capture_mirror_requests_throttled_total'] };
}

describe('collect backlog (pipeline.collectBacklog)', () => {
  it('turns the mirror listener away from half the configured backlog, and not before', async () => {
    // 4: the listener answers 429 once 2 exchanges wait, i.e. after the first batch.
    expect(await statusesWith({ pipeline: { collectBacklog: 4 } })).toEqual({ statuses: [200, 429, 429, 429, 429], throttled: 4 });
    expect(await statusesWith({ pipeline: { collectBacklog: 8 } })).toEqual({ statuses: [200, 200, 429, 429, 429], throttled: 3 });
    // The default (10000) takes all ten records over the same stalled pipeline.
    expect(await statusesWith({})).toEqual({ statuses: [200, 200, 200, 200, 200], throttled: undefined });
  });

  it('is read from the config file, default 10000, and a bound below 2 is refused naming the option', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidetap-backlog-'));
    try {
      expect(loadSidetapConfig(undefined, {}).pipeline.collectBacklog).toBe(10_000);
      const file = join(dir, 'sidetap.yaml');
      writeFileSync(file, 'pipeline:\n  collectBacklog: 500\n');
      expect(loadSidetapConfig(file, {}).pipeline.collectBacklog).toBe(500);
      expect(loadSidetapConfig(file, { SIDETAP_PIPELINE__COLLECT_BACKLOG: '64' }).pipeline.collectBacklog).toBe(64);
      writeFileSync(file, 'pipeline:\n  collectBacklog: 1\n');
      expect(() => loadSidetapConfig(file, {})).toThrow(/pipeline\.collectBacklog/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
