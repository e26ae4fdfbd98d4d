// Microseconds per learn and per score of the parameter profiles on the shop traffic of the
// tests, against a floor measured in the same run (JSON.parse of each body plus one Map lookup).
// Run: NODE_OPTIONS=--expose-gc npx tsx packages/anomaly/src/parameterProfiles/parameterProfiles.bench.ts
import { Counters } from '@sidetap/core';
import type { Event } from '@sidetap/core';
import { extractParameters } from './extractParameters';
import { ParameterProfiles } from './parameterProfiles';
import { parameterProfilesConfigSchema } from './parameterProfilesConfig';
import { benignTraffic, productSearch } from './testTraffic';
import { Rng } from './testValues';

const EVENTS = Number(process.env['BENCH_PARAMETER_EVENTS'] ?? 200_000);
const config = parameterProfilesConfigSchema.parse({});

function perEvent(label: string, events: readonly Event[], fn: (e: Event) => unknown): number {
  let sink = 0;
  for (let i = 0; i < Math.min(events.length, 20_000); i++) sink += fn(events[i] as Event) === undefined ? 0 : 1; // warm-up
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (const e of events) sink += fn(e) === undefined ? 0 : 1;
  const us = Number(process.hrtime.bigint() - started) / 1e3 / events.length;
  const spent = process.cpuUsage(cpu);
  // CPU time as well as wall time: on a shared machine the wall clock also counts other processes.
  const cpuUs = (spent.user + spent.system) / events.length;
  if (sink < 0) console.log(sink);
  console.log(`  ${label.padEnd(40)} ${us.toFixed(3)} µs/event wall, ${cpuUs.toFixed(3)} µs/event CPU`);
  return cpuUs;
}

const mixed = benignTraffic(1, EVENTS, 'train');
const search = Array.from({ length: EVENTS }, (_, i, r = new Rng(7 + i)) => productSearch(r));
const keys = new Map<string, number>();
const floor = (e: Event): unknown => {
  const body = e.http.request.body.content;
  keys.set(e.sidetap.endpoint, (keys.get(e.sidetap.endpoint) ?? 0) + 1);
  return body === undefined ? undefined : JSON.parse(body.startsWith('{') ? body : '0');
};

for (const [name, events] of [
  ['mixed shop traffic (query, form, JSON, headers)', mixed],
  ['product search (GET, up to 4 query params + 2 headers)', search],
] as const) {
  const params = events.reduce((n, e) => n + extractParameters(e, config).length, 0) / events.length;
  console.log(`${name}: ${events.length} events, ${params.toFixed(1)} parameter values per event`);
  const floorUs = perEvent('floor (JSON.parse + Map lookup)', events, floor);
  perEvent('extractParameters', events, (e) => extractParameters(e, config));
  const profiles = new ParameterProfiles(config, { counters: new Counters() });
  const learnUs = perEvent('learn', events, (e) => profiles.learn(e));
  const scoreUs = perEvent('score (trained)', events, (e) => profiles.score(e));
  console.log(`  learn ${(learnUs / floorUs).toFixed(1)}x floor, score ${(scoreUs / floorUs).toFixed(1)}x floor`);
}
