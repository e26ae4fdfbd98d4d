// Sharded capture must describe the same traffic as a single-threaded run: every counter, the
// same exchange ids, a fault at the same place; and its output must not change between runs.
import { copyFileSync, mkdtempSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { createRedactor } from '@sidetap/core';
import { defaultCaptureConfig } from '../captureConfig';
import { captureFiles } from '../capturePipeline';
import type { CaptureSummary } from '../capturePipeline';
import { captureFilesParallel } from './parallelCapture';

const pcaps = join(__dirname, '../../../../fixtures/pcaps');
const key = Buffer.from('parallel-test-key-0123456789');
const config = defaultCaptureConfig();
const work = mkdtempSync(join(tmpdir(), 'sidetap-parallel-'));

async function single(files: string[]): Promise<{ summary: CaptureSummary; ids: string[] }> {
  const ids: string[] = [];
  const redactor = createRedactor({ key, extraHeaders: config.redactHeaders });
  const summary = await captureFiles(files, { config, redactor, onExchange: (ex) => ids.push(ex.event.id) });
  return { summary, ids };
}

async function sharded(files: string[], workers: number, output: Writable = new PassThrough(), creditChunks?: number): Promise<{ summary: CaptureSummary; text: string }> {
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  const summary = await captureFilesParallel(files, { config, redactionKey: key, workers, output, ...(creditChunks ? { creditChunks } : {}) });
  return { summary, text: Buffer.concat(chunks).toString('utf8') };
}

const idsOf = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { event: { id: string } }).event.id);

const sorted = (xs: string[]): string[] => [...xs].sort();

function expectSameSummary(got: CaptureSummary, want: CaptureSummary): void {
  expect(got.counters).toEqual(want.counters);
  expect({ ...got, fault: got.fault?.message }).toEqual({ ...want, fault: want.fault?.message });
}

const fixtures = [
  ['keepalive.pcap'],
  ['demo.pcap'],
  ['vlan.pcap', 'vxlan.pcap'],
  ['ip-fragments.pcap', 'ipv6.pcap'],
  ['pipelining.pcap', 'reorder.pcap', 'retransmit.pcap', 'gap.pcap', 'midstream.pcap'],
  ['gz.pcap.gz', 'pcapng-multi.pcapng', 'sll.pcap', 'non-http.pcap'],
  ['large-bodies.pcap', 'chunked.pcap', 'edge-http.pcap', 'smuggling.pcap'],
];

describe('captureFilesParallel', () => {
  it.each(fixtures)('equals the single-threaded run on %s ...', async (...names: string[]) => {
    const files = names.map((n) => join(pcaps, n));
    const want = await single(files);
    expect(want.ids.length).toBeGreaterThan(0);
    for (const workers of [2, 3]) {
      const first = await sharded(files, workers);
      expectSameSummary(first.summary, want.summary);
      expect(sorted(idsOf(first.text))).toEqual(sorted(want.ids));
      const second = await sharded(files, workers);
      expect(second.text).toBe(first.text);
    }
  });

  it('keeps order and counts over many chunks with little credit and a slow output', async () => {
    const files = ['demo.pcap', 'keepalive.pcap', 'large-bodies.pcap', 'demo.pcap', 'vlan.pcap', 'demo.pcap'].map((n) => join(pcaps, n));
    const want = await single(files);
    const received: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        received.push(chunk);
        setTimeout(done, 1);
      },
    });
    const summary = await captureFilesParallel(files, { config, redactionKey: key, workers: 3, output: slow, creditChunks: 1 });
    expectSameSummary(summary, want.summary);
    const text = Buffer.concat(received).toString('utf8');
    expect(sorted(idsOf(text))).toEqual(sorted(want.ids));
    expect(text).toBe((await sharded(files, 3)).text);
  });

  it('writes every exchange before a truncated file and reports the same fault', async () => {
    const cut = join(work, 'cut.pcap');
    copyFileSync(join(pcaps, 'demo.pcap'), cut);
    truncateSync(cut, Math.floor(statSync(cut).size * 0.6));
    const want = await single([cut]);
    expect(want.summary.fault).toBeDefined();
    const got = await sharded([cut], 2);
    expectSameSummary(got.summary, want.summary);
    expect(sorted(idsOf(got.text))).toEqual(sorted(want.ids));
  });

  it('throws on a redaction key too short before any worker starts', () => {
    expect(() => captureFilesParallel([join(pcaps, 'keepalive.pcap')], { config, redactionKey: Buffer.from('short'), workers: 2, output: new PassThrough() })).toThrow(
      /redaction key must be at least 16 bytes/,
    );
  });

  it('rejects when the output breaks, and stops its workers', async () => {
    const broken = new Writable({
      write(_chunk, _enc, done) {
        done(new Error('disk full'));
      },
    });
    await expect(captureFilesParallel([join(pcaps, 'demo.pcap')], { config, redactionKey: key, workers: 2, output: broken })).rejects.toThrow(/disk full/);
  });
});
