// Benchmark of the geo lookup against the floors it sits on, measured in the same run: the raw
// mmdb-lib reader for uncached lookups, a bare Map.get for cached ones.
//   npx tsx packages/sessionizer/src/geo/geoLookup.bench.ts   (GEO_BENCH_LOOKUPS, default 200000)
import { readFileSync } from 'node:fs';
import { Counters } from '@sidetap/core';
import { Reader } from 'mmdb-lib';
import type { Response } from 'mmdb-lib';
import { dbIpFiles } from './dbIpFiles';
import { geoConfigSchema } from './geoConfig';
import { createGeoLookup } from './geoLookup';

const N = Number(process.env['GEO_BENCH_LOOKUPS'] ?? 200_000);

// Seeded so every run looks up the same addresses.
let seed = 0x5eed;
const random = (below: number): number => {
  seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
  return (seed >>> 8) % below;
};
const ipv4 = (): string => `${1 + random(223)}.${random(256)}.${random(256)}.${random(256)}`;
const V6_PREFIXES = ['2001', '2400', '2600', '2604', '2800', '2a00', '2a01', '2a02', '2c0f'];
const hex = (): string => random(65_536).toString(16);
const ipv6 = (): string => `${V6_PREFIXES[random(V6_PREFIXES.length)] ?? '2001'}:${hex()}:${hex()}:${hex()}::${hex()}`;

const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;
const perLookupUs = (run: () => void, count: number): number => {
  const from = process.hrtime.bigint();
  run();
  return (ms(from) * 1000) / count;
};
const row = (name: string, us: number, floorUs: number): void => {
  process.stdout.write(`${name.padEnd(28)} ${us.toFixed(2).padStart(7)} µs/lookup   floor ${floorUs.toFixed(2).padStart(6)} µs   ratio ${(us / floorUs).toFixed(2)}\n`);
};

let sink = 0; // consumed results, so no loop is optimised away

const startFrom = process.hrtime.bigint();
const uncached = createGeoLookup(geoConfigSchema.parse({ cacheSize: 0 }), { counters: new Counters() });
process.stdout.write(`start-up (createGeoLookup)   ${ms(startFrom).toFixed(2)} ms\n`);
let from = process.hrtime.bigint();
sink += uncached.lookup('133.11.0.1').geo === undefined ? 0 : 1;
process.stdout.write(`first IPv4 lookup (loads v4)  ${ms(from).toFixed(1)} ms\n`);
from = process.hrtime.bigint();
sink += uncached.lookup('2001:200::1').geo === undefined ? 0 : 1;
process.stdout.write(`first IPv6 lookup (loads v6)  ${ms(from).toFixed(1)} ms\n`);
const memory = process.memoryUsage();
process.stdout.write(`memory after both loads       rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, external ${(memory.external / 2 ** 20).toFixed(0)} MiB\n\n`);

const files = dbIpFiles('bench');
const raw4 = new Reader<Response>(readFileSync(files.ipv4));
const raw6 = new Reader<Response>(readFileSync(files.ipv6));
const v4 = Array.from({ length: N }, ipv4);
const v6 = Array.from({ length: N }, ipv6);

// Warm both paths first so the JIT has settled before anything is timed.
for (let i = 0; i < 20_000; i++) {
  sink += raw4.get(v4[i] ?? '') === null ? 0 : 1;
  sink += uncached.lookup(v4[i] ?? '').scope.length;
}

const raw4Us = perLookupUs(() => {
  for (const ip of v4) sink += raw4.get(ip) === null ? 0 : 1;
}, N);
row('IPv4 uncached', perLookupUs(() => {
  for (const ip of v4) sink += uncached.lookup(ip).scope.length;
}, N), raw4Us);
const raw6Us = perLookupUs(() => {
  for (const ip of v6) sink += raw6.get(ip) === null ? 0 : 1;
}, N);
row('IPv6 uncached', perLookupUs(() => {
  for (const ip of v6) sink += uncached.lookup(ip).scope.length;
}, N), raw6Us);

// Cached: a working set far below cacheSize, as when a few thousand clients make many requests.
const cached = createGeoLookup(geoConfigSchema.parse({}), { counters: new Counters() });
const hot = v4.slice(0, 5_000).concat(v6.slice(0, 5_000));
for (const ip of hot) cached.lookup(ip);
const map = new Map(hot.map((ip) => [ip, ip.length]));
const rounds = Math.max(1, Math.floor(N / hot.length));
const mapUs = perLookupUs(() => {
  for (let r = 0; r < rounds; r++) for (const ip of hot) sink += map.get(ip) ?? 0;
}, rounds * hot.length);
row('cached (v4 + v6)', perLookupUs(() => {
  for (let r = 0; r < rounds; r++) for (const ip of hot) sink += cached.lookup(ip).scope.length;
}, rounds * hot.length), mapUs);

process.stdout.write(`\n(${N} lookups per row; checksum ${sink})\n`);
