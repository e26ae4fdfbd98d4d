import { harness } from './__tests__/connectionHarness';

/** Deterministic PRNG (mulberry32) so a failure replays. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  'GET / HTTP/1.1\r\n', 'HTTP/1.1 200 OK\r\n', 'POST /x HTTP/1.1\r\n', 'HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 101 Switching\r\n\r\n',
  'Content-Length: 5\r\n', 'Content-Length: 99999999999999999\r\n', 'Transfer-Encoding: chunked\r\n', 'Transfer-Encoding: gzip\r\n',
  'Content-Encoding: gzip\r\n', 'Content-Type: application/json\r\n', ' folded\r\n', '\r\n', '\n', '5\r\nhello\r\n', '0\r\n\r\n',
  'ffffffffffffff\r\n', 'Host: [::1\r\n', 'Cookie: a=b\r\n', '{"password":"x"}', 'HEAD / HTTP/1.0\r\n', 'CONNECT h:1 HTTP/1.1\r\n',
];

describe('createHttpConsumer: hostile input', () => {
  it('never throws on random bytes and HTTP-like fragments in random pieces, gaps and closes', () => {
    const next = rng(1234);
    const reasons = ['fin', 'rst', 'idle_timeout', 'flow_evicted', 'capture_ended'] as const;
    for (let round = 0; round < 400; round++) {
      const h = harness({
        handshake: next() < 0.5,
        config: { httpMaxHeaderBytes: 64 + Math.floor(next() * 512), httpMaxPendingRequests: 1 + Math.floor(next() * 4), bodyRawSampleBytes: Math.floor(next() * 64), bodySampleBytes: Math.floor(next() * 32) },
      });
      const steps = 1 + Math.floor(next() * 40);
      for (let s = 0; s < steps; s++) {
        const dir = next() < 0.5 ? 0 : 1;
        const r = next();
        if (r < 0.45) h.send(dir, FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] as string);
        else if (r < 0.8) {
          const bytes = Buffer.alloc(Math.floor(next() * 300));
          for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256);
          h.send(dir, bytes);
        } else if (r < 0.9) h.gap(dir, Math.floor(next() * 50));
        else if (r < 0.95) h.consumer.onOverlapConflict(dir, 0);
        else h.end(dir);
      }
      expect(() => h.close(reasons[Math.floor(next() * reasons.length)])).not.toThrow();
      // Every raw sample taken from the shared budget was given back.
      expect({ round, held: h.ctx.sampleBudget.used }).toEqual({ round, held: 0 });
    }
  });

  it('stays bounded: one huge header line is cut at the limit', () => {
    const h = harness({ config: { httpMaxHeaderBytes: 1024 } });
    h.send(0, 'GET / HTTP/1.1\r\nX: ');
    for (let i = 0; i < 100; i++) h.send(0, Buffer.alloc(10_000, 0x61));
    h.send(0, '\r\n\r\nGET /after HTTP/1.1\r\n\r\n');
    h.close();
    expect(h.exchanges.map((x) => x.url.path)).toEqual(['/', '/after']);
  });
});
