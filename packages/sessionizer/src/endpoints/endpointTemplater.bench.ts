// Microseconds per match of the endpoint templater, cached and uncached, spec and learned,
// against a floor measured in the same run (String.split plus one Map lookup per path).
// Run: NODE_OPTIONS=--expose-gc npx tsx packages/sessionizer/src/endpoints/endpointTemplater.bench.ts
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Counters } from '@sidetap/core';
import { endpointConfigSchema } from './endpointConfig';
import { createEndpointTemplater } from './endpointTemplater';

const DISTINCT_PATHS = Number(process.env['BENCH_ENDPOINT_PATHS'] ?? 4000);
const MATCHES = Number(process.env['BENCH_ENDPOINT_MATCHES'] ?? 1_000_000);

/** Paths like a bank API's traffic: ids, uuids, dates, hashes, a few hundred usernames. */
function traffic(n: number): string[] {
  let seed = 42;
  const next = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 8;
  const hex = (k: number): string => Array.from({ length: k }, () => (next() & 15).toString(16)).join('');
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = next() % 100_000;
    switch (i % 6) {
      case 0: out.push(`/api/v1/accounts/${id}`); break;
      case 1: out.push(`/api/v1/accounts/${id}/transactions/${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`); break;
      case 2: out.push(`/api/v1/users/user${next() % 300}/orders/${id}`); break;
      case 3: out.push(`/api/v1/statements/2024-0${1 + (next() % 9)}-1${next() % 10}`); break;
      case 4: out.push(`/api/v1/blobs/${hex(64)}`); break;
      default: out.push(`/api/v1/accounts`);
    }
  }
  return out;
}

// One fresh string per match, as a parser hands over: V8 caches a string's hash once computed,
// so reusing one string object would make every Map lookup look cheaper than it is.
const fresh = (paths: string[], count: number): string[] => Array.from({ length: count }, (_, i) => Buffer.from(paths[i % paths.length] ?? '/').toString('latin1'));

function perMatch(label: string, paths: string[], fn: (p: string) => unknown, quiet = false): number {
  let sink = 0;
  for (const p of fresh(paths, 200_000)) sink += fn(p) === undefined ? 0 : 1; // warm-up
  const run = fresh(paths, MATCHES);
  (globalThis as { gc?: () => void }).gc?.(); // with --expose-gc, earlier runs' garbage is not billed here
  const started = process.hrtime.bigint();
  for (const p of run) sink += fn(p) === undefined ? 0 : 1;
  const us = Number(process.hrtime.bigint() - started) / 1e3 / MATCHES;
  if (sink < 0) console.log(sink);
  if (!quiet) console.log(`  ${label.padEnd(32)} ${us.toFixed(3)} µs/match`);
  return us;
}

const bank = join(__dirname, 'testdata', 'bank.yaml');
const make = (options: Record<string, unknown>) => createEndpointTemplater(endpointConfigSchema.parse(options), { counters: new Counters() });

// [label, config, distinct paths]: 4000 distinct paths fit the cache; 200k (ids make most raw
// paths unique in real traffic) mostly miss it.
const rows: Array<[string, Record<string, unknown>, number]> = [
  ['learned, cache hits', {}, DISTINCT_PATHS],
  ['learned, no cache', { cacheSize: 0 }, DISTINCT_PATHS],
  ['learned, 200k paths, cache on', {}, 200_000],
  ['learned, 200k paths, no cache', { cacheSize: 0 }, 200_000],
  ['spec (bank.yaml), cache hits', { specFile: bank }, DISTINCT_PATHS],
  ['spec (bank.yaml), no cache', { specFile: bank, cacheSize: 0 }, DISTINCT_PATHS],
  ['spec (bank.yaml), 200k paths', { specFile: bank }, 200_000],
  ['spec (bank.yaml), 200k, no cache', { specFile: bank, cacheSize: 0 }, 200_000],
];

// Each configuration runs in its own process: in one process, code optimised for the first
// configuration's feedback slows the next one down by up to 2x, which production never sees.
const row = process.env['BENCH_ENDPOINT_ROW'];
if (row === undefined) {
  console.log(`endpoint templater, ${MATCHES} matches each:`);
  const paths = traffic(DISTINCT_PATHS);
  const seen = new Map(paths.map((p) => [p, p.split('/')]));
  const floor = perMatch('floor: split + Map.get', paths, (p) => seen.get(p) ?? p.split('/'));
  rows.forEach(([label], i) => {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1] ?? ''], {
      env: { ...process.env, BENCH_ENDPOINT_ROW: String(i) },
      encoding: 'utf8',
    });
    const us = Number(child.stdout.trim());
    if (child.status !== 0 || !Number.isFinite(us)) throw new Error(`bench row "${label}" failed: ${child.stderr}`);
    console.log(`  ${label.padEnd(32)} ${us.toFixed(3)} µs/match  ratio to floor ${(us / floor).toFixed(2)}x`);
  });
} else {
  const [, options, distinct] = rows[Number(row)] ?? ['', {}, DISTINCT_PATHS];
  const t = make(options);
  console.log(perMatch('', traffic(distinct), (p) => t.match('GET', p), true));
}
