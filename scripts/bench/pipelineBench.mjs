#!/usr/bin/env node
// The embedded pipeline against capture alone, in the same run on the same capture: what the
// stages (sessionizer, every anomaly and threat detector, indexer, responder) and the in-memory bus
// add on top of rebuilding the exchanges, while learning and while detecting.
//   BENCH_PIPELINE_EXCHANGES  exchanges in the capture (default 100000)
import { spawnSync } from 'node:child_process';
import { benchCapture } from './benchCapture.mjs';
import { closeSync, fstatSync, openSync, readSync, rmSync } from 'node:fs';
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

/** Event time from the first packet to the last of a classic pcap (the generator writes those), walking the record headers. */
function captureSeconds(path) {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(24);
    readSync(fd, head, 0, 24, 0);
    const magic = head.readUInt32LE(0);
    const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
    if (!le && head.readUInt32BE(0) !== 0xa1b2c3d4 && head.readUInt32BE(0) !== 0xa1b23c4d) throw new Error(`${path}: not a classic pcap`);
    const nano = (le ? magic : head.readUInt32BE(0)) === 0xa1b23c4d;
    const size = fstatSync(fd).size;
    const rec = Buffer.alloc(16);
    let at = 24;
    let first;
    let last;
    while (at + 16 <= size) {
      readSync(fd, rec, 0, 16, at);
      const sec = le ? rec.readUInt32LE(0) : rec.readUInt32BE(0);
      const frac = le ? rec.readUInt32LE(4) : rec.readUInt32BE(4);
      last = sec + frac / (nano ? 1e9 : 1e6);
      first ??= last;
      at += 16 + (le ? rec.readUInt32LE(8) : rec.readUInt32BE(8));
    }
    return last - first;
  } finally {
    closeSync(fd);
  }
}

const best = (fn) => Math.min(fn(), fn(), fn());
// Single-threaded capture is what the embedded pipeline runs, so that is the fair floor.
const captureAlone = best(() => timed(['capture', file, '--ndjson', '--workers', '1', '--quiet']));
const pipelineNoEvents = best(() => timed(['replay', file], { SIDETAP_INDEXER__EVENTS: 'false' }));
const pipelineWithEvents = best(() => timed(['replay', file]));
// The capture spans a few minutes of event time, all inside the default 24 h learning window: the
// runs above measure learning. Detection is measured after learning on its first fifth.
const learnFor = `${Math.max(1, Math.round(captureSeconds(file) / 5))}s`;
const pipelineDetecting = best(() => timed(['replay', file, '--learn', learnFor]));

const rate = (s) => Math.round(N / s);
console.log(`embedded pipeline vs capture alone, ${N} exchanges (best of 3):`);
console.log(`  capture --ndjson (1 thread)             ${captureAlone.toFixed(2)} s  ${rate(captureAlone)} exch/s`);
console.log(`  replay, events not stored             ${pipelineNoEvents.toFixed(2)} s  ${rate(pipelineNoEvents)} exch/s  ratio ${(pipelineNoEvents / captureAlone).toFixed(2)}x`);
console.log(`  replay, indexer stores every event    ${pipelineWithEvents.toFixed(2)} s  ${rate(pipelineWithEvents)} exch/s  ratio ${(pipelineWithEvents / captureAlone).toFixed(2)}x`);
console.log(`  replay --learn ${learnFor} (detecting after)  ${pipelineDetecting.toFixed(2)} s  ${rate(pipelineDetecting)} exch/s  ratio ${(pipelineDetecting / captureAlone).toFixed(2)}x`);
console.log(`  target: 20000 exch/s for the full pipeline on one core`);
