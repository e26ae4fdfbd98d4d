// Hostile payloads: seeded mutations of every fixture, fed to every parser. A parser may refuse a
// payload (PayloadError) or records (faults), never throw anything else; whatever parts it gives
// must build schema-valid exchanges.
import { encode } from '@msgpack/msgpack';
import { parseEnvoyPayload } from './envoyTap';
import { parseHarPayload } from './harLog';
import { parseKongPayload } from './kongLog';
import type { MirrorFormat } from './mirrorExchanges';
import { parseNativePayload } from './nativeBatch';
import { PayloadError } from './recordFault';
import type { ParsedBatch } from './recordFault';
import { exchangesOf, fixture } from './testMirror';

/** mulberry32: a small seeded PRNG, so a failure replays. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = ['"', '{', '}', '[', ']', ',', ':', '\\', '0', '-1', 'null', '1e999', '"\u0000"', '\n', '"__proto__"', '"constructor"'];

function mutate(input: Buffer, rnd: () => number): Buffer {
  const out = Buffer.from(input);
  const edits = 1 + Math.floor(rnd() * 4);
  let bytes = out;
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * bytes.length);
    const kind = rnd();
    if (kind < 0.4) bytes[at] = Math.floor(rnd() * 256);
    else if (kind < 0.7) bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(INTERESTING[Math.floor(rnd() * INTERESTING.length)] as string), bytes.subarray(at)]);
    else if (kind < 0.85) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + Math.floor(rnd() * 16)))]);
    else bytes = bytes.subarray(0, at);
  }
  return bytes;
}

const native = Buffer.from(
  `${JSON.stringify({ started_at: 1, client: { ip: '1.2.3.4', port: 1 }, request: { method: 'POST', target: '/a?b=1', headers: [['Host', 'h'], ['Content-Encoding', 'gzip']], body: 'H4sIAAAAAAAAA8tIzcnJBwCGphA2BQAAAA==' }, response: { status: 200, headers: { 'Set-Cookie': ['a=1', 'b=2'] } } })}\n`,
);
const cases: Array<[MirrorFormat, Buffer, (b: Buffer) => ParsedBatch]> = [
  ['kong', fixture('kong-http-log-batch.json'), parseKongPayload],
  ['envoy', fixture('envoy-tap-admin-stream.txt'), (b) => parseEnvoyPayload(b, 1)],
  ['envoy', fixture('envoy-tap-streamed.ndjson'), (b) => parseEnvoyPayload(b, 1)],
  ['har', fixture('browser-session.har'), parseHarPayload],
  ['native', native, (b) => parseNativePayload(b, 'ndjson')],
  ['native', Buffer.from(encode([JSON.parse(native.toString())])), (b) => parseNativePayload(b, 'msgpack')],
];

describe('mirror parsers on hostile payloads', () => {
  it.each(cases.map((c, k) => [k, c[0]] as const))('case %i (%s) never throws past its contract', (k) => {
    const [format, input, parse] = cases[k] as (typeof cases)[number];
    const rnd = prng(1000 + k);
    let records = 0;
    for (let round = 0; round < 400; round++) {
      const payload = mutate(input, rnd);
      let batch: ParsedBatch;
      try {
        batch = parse(payload);
      } catch (err) {
        if (err instanceof PayloadError) continue;
        throw new Error(`round ${round}: ${(err as Error).stack}\npayload: ${payload.toString('latin1').slice(0, 400)}`);
      }
      for (const fault of batch.faults) expect(fault.message).toMatch(/^(record|entry) \d+.*\.$/s);
      records += exchangesOf(format, batch).length;
    }
    // The mutations leave many payloads readable: the test exercises the builder too.
    expect(records).toBeGreaterThan(0);
  });
});
