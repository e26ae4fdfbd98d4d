// Cost of a device fingerprint on a cache hit against the uncached cost (a User-Agent parse and a
// SHA-256), measured in the same run. A benchmark, never a test: it prints, it does not assert.
//   npx tsx packages/sessionizer/src/device/deviceFingerprinter.bench.ts
import { Counters } from '@sidetap/core';
import { createDeviceFingerprinter } from './deviceFingerprinter';
import { deviceConfigSchema } from './deviceConfig';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36';
const browserHeaders: Record<string, string> = {
  host: 'api.example.com', connection: 'keep-alive', 'content-length': '42', 'sec-ch-ua-platform': '"Windows"',
  authorization: 'Bearer h:AAAAAAAAAAAAAAAAAAAAAA', 'user-agent': CHROME, 'sec-ch-ua': '"Chromium";v="124", "Google Chrome";v="124"',
  'content-type': 'application/json', 'sec-ch-ua-mobile': '?0', accept: '*/*', origin: 'https://app.example.com',
  'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty', referer: 'https://app.example.com/',
  'accept-encoding': 'gzip, deflate, br, zstd', 'accept-language': 'en-US,en;q=0.9', cookie: 'sid=h:BBBBBBBBBBBBBBBBBBBBBB',
  priority: 'u=1, i', 'x-forwarded-for': '203.0.113.7', 'x-request-id': 'req-1', traceparent: '00-1-2-01',
};
const curlHeaders: Record<string, string> = { host: 'api.example.com', 'user-agent': 'curl/8.5.0', accept: '*/*', authorization: 'Bearer h:AAAAAAAAAAAAAAAAAAAAAA' };

// Every exchange carries its own value strings, as capture builds them: copy them so no hash is cached.
const copy = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');
const records = (headers: Record<string, string>): Record<string, string>[] =>
  Array.from({ length: 1024 }, () => Object.fromEntries(Object.entries(headers).map(([n, v]) => [n, copy(v)])));

function microseconds(n: number, run: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(n, 20_000); i++) run(i);
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) run(i);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / n / 1000);
  }
  return best;
}

const cached = createDeviceFingerprinter(deviceConfigSchema.parse({}), { counters: new Counters() });
const uncached = createDeviceFingerprinter(deviceConfigSchema.parse({ cacheSize: 0 }), { counters: new Counters() });
for (const [label, headers] of [['browser, 22 headers', browserHeaders], ['curl, 4 headers', curlHeaders]] as const) {
  const recs = records(headers);
  const hit = microseconds(1_000_000, (i) => cached.fingerprint(recs[i & 1023] ?? {}));
  const miss = microseconds(20_000, (i) => uncached.fingerprint(recs[i & 1023] ?? {}));
  process.stdout.write(
    `${label.padEnd(20)} cached ${hit.toFixed(2)} µs  uncached ${miss.toFixed(1)} µs  (a hit costs ${((hit / miss) * 100).toFixed(0)}% of a miss)\n`,
  );
}
