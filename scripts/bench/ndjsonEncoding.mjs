#!/usr/bin/env node
// What the --ndjson output alone costs: the exchanges of a capture are built first (not timed),
// then encoded as `sidetap capture --ndjson` encodes them (NdjsonChunk: JSON.stringify, then UTF-8
// into the output buffer), on one thread. captureBench prints it next to httpry's whole run: it is
// the part of sidetap's time that no capture or parsing change can remove, since every exchange is
// a full ECS document (headers, body samples, actor) where httpry writes two lines.
//   node scripts/bench/ndjsonEncoding.mjs <capture> [max exchanges]   → prints one JSON line
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './benchCapture.mjs';

const require = createRequire(import.meta.url);
const { captureFiles, defaultCaptureConfig } = require(join(ROOT, 'packages/capture/dist/index.js'));
const { createRedactor, NdjsonChunk } = require(join(ROOT, 'packages/core/dist/index.js'));

const [file, maxArg] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: ndjsonEncoding.mjs <capture> [max exchanges]');
  process.exit(2);
}
const max = Number(maxArg ?? 100_000);
const exchanges = [];
const redactor = createRedactor({ key: Buffer.from('bench-key-0123456789abcdef') });
await captureFiles([file], { config: defaultCaptureConfig(), redactor, onExchange: (e) => void (exchanges.length < max && exchanges.push(e)) });

const chunk = new NdjsonChunk();
const encodeAll = () => {
  let bytes = 0;
  for (const e of exchanges) {
    chunk.add(e);
    if (chunk.bytes >= 1 << 20) bytes += chunk.take().byteLength;
  }
  return bytes + (chunk.take()?.byteLength ?? 0);
};
encodeAll(); // warm-up: the same code paths optimised as in a long capture
let best = Infinity;
let bytes = 0;
for (let round = 0; round < 3; round++) {
  const start = process.hrtime.bigint();
  bytes = encodeAll();
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
}
console.log(JSON.stringify({ exchanges: exchanges.length, bytes, seconds: best }));
