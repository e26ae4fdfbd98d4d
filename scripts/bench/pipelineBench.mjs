#!/usr/bin/env node
// The embedded pipeline against capture alone, in the same run on the same capture: what the
// stages (sessionizer, every anomaly and threat detector, indexer, responder) and the in-memory bus
// add on top of rebuilding the exchanges, while learning and while detecting.
//   BENCH_PIPELINE_EXCHANGES  exchanges in the capture (default 100000)
import { spawnSync } from 'node:child_process';
import { benchCapture } from './benchCapture.mjs';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const outDir = join(root, 'bench-out');
const sidetap = join(root, 'packages/cli/bin/sidetap.js');
const N = Number(process.env.BENCH_PIPELINE_EXCHANGES ?? 100_000);

const file = benchCapture(N);

function timed(args, env = {}) {
  const store = join(outDir, 'pipeline-store');
  rmSync(store, { recursive: true, force: true });
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [sidetap, ...args, '--store', store], {
    env: { ...process.env, SIDETAP_REDACTION_KEY: 'bench-key-0123456789abcdef', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 << 20,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`sidetap ${args.join(' ')} failed (${r.status}): ${r.stderr.toString().slice(-2000)}`);
  return seconds;
}

/** Event time from the first packet to the last, read with capture's own file reader (built package). */
async function captureSeconds(path) {
  const reader = join(root, 'packages/capture/dist/sources/readCaptureFile.js');
  const { readCaptureFile } = createRequire(import.meta.url)(reader);
  let first;
  let last;
  await readCaptureFile(path, (packet) => {
    first ??= packet.tsUs;
    last = packet.tsUs;
  });
  return (last - first) / 1e6;
}

const best = (fn) => Math.min(fn(), fn(), fn());
// Single-threaded capture is what the embedded pipeline runs, so that is the fair floor.
const captureAlone = best(() => timed(['capture', file, '--ndjson', '--workers', '1', '--quiet']));
const pipelineNoEvents = best(() => timed(['replay', file], { SIDETAP_INDEXER__EVENTS: 'false' }));
const pipelineWithEvents = best(() => timed(['replay', file]));
// The capture spans a few minutes of event time, all inside the default 24 h learning window: the
// runs above measure learning. Detection is measured after learning on its first fifth.
const learnFor = `${Math.max(1, Math.round((await captureSeconds(file)) / 5))}s`;
const pipelineDetecting = best(() => timed(['replay', file, '--learn', learnFor]));

const rate = (s) => Math.round(N / s);
console.log(`embedded pipeline vs capture alone, ${N} exchanges (best of 3):`);
console.log(`  capture --ndjson (1 thread)             ${captureAlone.toFixed(2)} s  ${rate(captureAlone)} exch/s`);
console.log(`  replay, events not stored             ${pipelineNoEvents.toFixed(2)} s  ${rate(pipelineNoEvents)} exch/s  ratio ${(pipelineNoEvents / captureAlone).toFixed(2)}x`);
console.log(`  replay, indexer stores every event    ${pipelineWithEvents.toFixed(2)} s  ${rate(pipelineWithEvents)} exch/s  ratio ${(pipelineWithEvents / captureAlone).toFixed(2)}x`);
console.log(`  replay --learn ${learnFor} (detecting after)  ${pipelineDetecting.toFixed(2)} s  ${rate(pipelineDetecting)} exch/s  ratio ${(pipelineDetecting / captureAlone).toFixed(2)}x`);
console.log(`  target: 20000 exch/s for the full pipeline on one core`);
