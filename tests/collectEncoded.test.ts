// The distributed capture stage with segment workers: `collect --vxlan ... --brokers ... --workers
// 2` forwards the records its workers encoded, and sidetap.exchanges must then hold exactly what
// `--workers 0` (objects encoded by the bus) puts there: the same exchange ids, records and keys.
// Live sources stamp packets with the wall clock, and connection (hence exchange) ids derive from
// those stamps, so the clock is pinned during each run to make the two runs' ids comparable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import { END_OF_STREAM, KafkaBus } from '@sidetap/bus';
import type { Keyed } from '@sidetap/bus';
import { createLogger, createRecordCodec, httpExchangeSchema } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { main } from '@sidetap/cli';
import { startKafkaMock } from '../scripts/kafkaMock/kafkaMock';
import type { KafkaMock } from '../scripts/kafkaMock/kafkaMock';
import { captureToArray } from './helpers/captureToArray';
import { pcapFrames, sendUdp, vxlan } from './helpers/tunnelFrames';

const DEMO = join(__dirname, '../fixtures/pcaps/demo.pcap');
const TOPICS = { 'sidetap.exchanges': 3, 'sidetap.events': 1, 'sidetap.sessions': 1, 'sidetap.findings': 1 };
// The codec cli's topics.ts gives sidetap.exchanges.
const exchangeTopic = { name: 'sidetap.exchanges', codec: createRecordCodec('exchange', httpExchangeSchema) };
const work = mkdtempSync(join(tmpdir(), 'sidetap-collect-encoded-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const mocks: KafkaMock[] = [];
afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(mocks.splice(0).map((m) => m.stop()));
});

/** Runs collect in this process over the demo capture (one VNI) and returns what reached Kafka. */
async function collectToKafka(workers: number, expected: number): Promise<{ stderr: string; records: Keyed<HttpExchange>[] }> {
  const mock = await startKafkaMock({ topics: TOPICS });
  mocks.push(mock);
  const brokers = mock.brokers.join(',');
  // Every packet gets this one capture time: the ids of the two runs are then the same.
  jest.spyOn(performance, 'now').mockReturnValue(1000);
  let stderr = '';
  let announce: (line: string) => void = () => undefined;
  const ready = new Promise<string>((resolve) => (announce = resolve));
  const write = (s: string): boolean => {
    stderr += s;
    const m = /^sidetap collect: .*SIGINT.*$/m.exec(stderr);
    if (m) announce(m[0]);
    return true;
  };
  // --duration only ends a run that lost a datagram (the counts below then say so) instead of hanging.
  // One store for both runs: its redaction key decides the hashed secrets in the records.
  const argv = ['collect', '--vxlan', '127.0.0.1:0', '--brokers', brokers, '--metrics', '127.0.0.1:0', '--store', join(work, 'store')];
  const done = main([...argv, '--workers', String(workers), '--max-exchanges', String(expected), '--duration', '120s'], { stdout: new PassThrough(), stderr: { isTTY: false, write } });
  void done.then(() => announce(stderr));
  const port = Number(/vxlan 127\.0\.0\.1:(\d+)/.exec(await ready)?.[1]);
  expect(port).toBeGreaterThan(0);
  await sendUdp(port, pcapFrames(DEMO).frames.map((f) => vxlan(7, f)));
  expect(await done).toBe(0);
  jest.restoreAllMocks();

  const bus = new KafkaBus({ brokers: mock.brokers, sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, fetchMaxWaitMs: 200 }, createLogger({ level: 'silent' }));
  try {
    const records: Keyed<HttpExchange>[] = [];
    let ended: () => void = () => undefined;
    const end = new Promise<void>((resolve) => (ended = resolve));
    await bus.consume(exchangeTopic, { group: 'check', fromBeginning: true }, async (b) => {
      records.push(...b.records);
      if (b.watermark === END_OF_STREAM) ended();
    });
    await end;
    return { stderr, records };
  } finally {
    await bus.close();
  }
}

const byId = (a: Keyed<HttpExchange>, b: Keyed<HttpExchange>): number => (a.value.event.id < b.value.event.id ? -1 : a.value.event.id > b.value.event.id ? 1 : 0);

describe('sidetap collect --brokers --workers', () => {
  it('puts on sidetap.exchanges, encoded by the workers, the same exchanges as --workers 0', async () => {
    const expected = (await captureToArray([DEMO])).exchanges.length;
    expect(expected).toBeGreaterThan(100);

    const inline = await collectToKafka(0, expected);
    const workers = await collectToKafka(2, expected);
    for (const run of [inline, workers]) {
      expect(run.stderr).toMatch(new RegExp(` ${expected} exchanges in`));
      expect(run.stderr).toContain(`bus_records_published_total{topic="sidetap.exchanges"} ${expected}`);
      expect(run.stderr).not.toContain('capture_exchanges_dropped_total');
      expect(run.records).toHaveLength(expected);
      // Each record is keyed by its actor, as TOPICS.exchanges.keyOf would key it.
      for (const r of run.records) expect(r.key).toBe(r.value.sidetap.actor_key);
    }
    const ids = (run: { records: Keyed<HttpExchange>[] }): string[] => run.records.map((r) => r.value.event.id).sort();
    expect(new Set(ids(inline)).size).toBe(expected);
    expect(ids(workers)).toEqual(ids(inline));
    // Not only the ids: every record and its key.
    expect([...workers.records].sort(byId)).toEqual([...inline.records].sort(byId));
  }, 240_000);
});
