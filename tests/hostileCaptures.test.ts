// Hostile or broken traffic never crashes capture: fixture captures with packet bytes flipped at
// random (record headers left intact, so the damage lands in frames) must give exchanges that
// still satisfy the contract, and a file damaged anywhere ends in a CaptureFileError at worst.
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpExchangeSchema } from '@sidetap/core';
import { captureToArray } from './helpers/captureToArray';

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'sidetap-hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Flips bytes inside packet data of a little-endian classic pcap, leaving record headers alone. */
function damageFrames(pcap: Buffer, rate: number, rand: () => number): Buffer {
  const out = Buffer.from(pcap);
  let off = 24;
  while (off + 16 <= out.length) {
    const caplen = out.readUInt32LE(off + 8);
    const start = off + 16;
    for (let i = start; i < Math.min(start + caplen, out.length); i++) if (rand() < rate) out[i] = Math.floor(rand() * 256);
    off = start + caplen;
  }
  return out;
}

const FIXTURES = ['demo', 'keepalive', 'chunked', 'gzip', 'pipelining', 'edge-http', 'smuggling', 'ip-fragments', 'vxlan', 'reorder'];

describe('capture on damaged captures', () => {
  it.each(FIXTURES)('%s with bytes flipped inside frames', async (name) => {
    const pcap = readFileSync(join(root, 'fixtures/pcaps', `${name}.pcap`));
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    for (const [seed, rate] of [
      [1, 0.0005],
      [2, 0.005],
      [3, 0.05],
    ] as const) {
      const file = join(work, `${name}-${seed}.pcap`);
      writeFileSync(file, damageFrames(pcap, rate, prng(seed)));
      const { exchanges, summary } = await captureToArray([file]);
      expect(summary.fault).toBeUndefined();
      for (const ex of exchanges) expect(httpExchangeSchema.safeParse(ex).success).toBe(true);
    }
  });

  it('a file damaged anywhere, headers included, ends at worst in a named fault', async () => {
    const pcap = readFileSync(join(root, 'fixtures/pcaps/demo.pcap'));
    const rand = prng(99);
    for (let round = 0; round < 30; round++) {
      const bytes = Buffer.from(pcap);
      for (let i = 0; i < 20; i++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      const file = join(work, `anywhere-${round}.pcap`);
      writeFileSync(file, bytes);
      const { summary } = await captureToArray([file]);
      if (summary.fault) expect(summary.fault.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .+ at byte offset \\d+$`));
    }
  });
});
