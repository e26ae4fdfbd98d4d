#!/usr/bin/env node
// The sessionizer alone on the bench capture's exchanges (held in memory, so capture is not
// timed), against the cheapest stage that touches every record (the pass-through shape of an
// event), measured in the same run.
//   BENCH_SESSIONIZER_EXCHANGES  exchanges (default 30000)
import { benchCapture } from './benchCapture.mjs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const require = createRequire(import.meta.url);
const dist = (pkg) => require(join(root, 'packages', pkg, 'dist/index.js'));
const core = dist('core');
const capture = dist('capture');
const bus = dist('bus');
const sessionizer = dist('sessionizer');
const { pino } = require('pino');

const N = Number(process.env.BENCH_SESSIONIZER_EXCHANGES ?? 30_000);
const outDir = join(root, 'bench-out');
const file = benchCapture(N);

const exchanges = [];
await capture.captureFiles([file], {
  config: capture.defaultCaptureConfig(),
  redactor: core.createRedactor({ key: Buffer.alloc(32, 1) }),
  onExchange: (ex) => exchanges.push(ex),
});

async function timed(processor) {
  const started = process.hrtime.bigint();
  let out = 0;
  for (let i = 0; i < exchanges.length; i += 500) out += (await processor.process(exchanges.slice(i, i + 500))).length;
  out += (await processor.flush(Number.MAX_SAFE_INTEGER)).length;
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, out };
}

const ctx = () => ({ logger: pino({ level: 'silent' }), counters: new core.Counters(), storeDir: outDir, state: new bus.MemoryStateStore({ kind: 'memory' }) });
// The floor: what any stage pays to turn an exchange into an event-shaped record.
const floor = await timed({
  process: (xs) => xs.map((ex) => ({ ...ex, event: { ...ex.event, dataset: 'sidetap.event' }, sidetap: { ...ex.sidetap } })),
  flush: () => [],
});
const config = sessionizer.sessionizerConfigSchema.parse({});
const full = await timed(sessionizer.createSessionizerStage(config, ctx()));
const noGeo = await timed(sessionizer.createSessionizerStage({ ...config, geo: { ...config.geo, enabled: false } }, ctx()));

const rate = (r) => Math.round(exchanges.length / r.seconds);
console.log(`sessionizer alone, ${exchanges.length} exchanges in batches of 500 (memory state):`);
console.log(`  floor (copy into an event shape)   ${floor.seconds.toFixed(2)} s  ${rate(floor)} events/s`);
console.log(`  sessionizer, geo off               ${noGeo.seconds.toFixed(2)} s  ${rate(noGeo)} events/s  ratio ${(noGeo.seconds / floor.seconds).toFixed(1)}x floor`);
console.log(`  sessionizer, everything on         ${full.seconds.toFixed(2)} s  ${rate(full)} events/s  ratio ${(full.seconds / floor.seconds).toFixed(1)}x floor`);
console.log(`  records out: ${full.out} (events and session summaries)`);
