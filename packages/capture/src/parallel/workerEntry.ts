// Starts a capture worker. In production the worker runs the built dist/parallel/captureWorker.js
// beside this file. Run from TypeScript sources (jest, tsx) there is no built file, so a small
// bootstrap registers tsx and maps @sidetap/* to sources, as jest's moduleNameMapper does.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CaptureWorkerData } from './workerMessages';

export function startCaptureWorker(data: CaptureWorkerData): Worker {
  const built = join(__dirname, 'captureWorker.js');
  if (!__filename.endsWith('.ts')) return new Worker(built, { workerData: data });
  const source = join(__dirname, 'captureWorker.ts');
  if (!existsSync(source)) throw new Error(`no capture worker entry beside ${__filename}`);
  return new Worker(sourceBootstrap(source, join(__dirname, '../../..')), { eval: true, workerData: data });
}

function sourceBootstrap(entry: string, packagesDir: string): string {
  return `
const Module = require('node:module');
const path = require('node:path');
const entry = ${JSON.stringify(entry)};
Module.createRequire(entry)('tsx/cjs/api').register();
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const m = /^@sidetap\\/([a-z-]+)$/.exec(request);
  return resolve.call(this, m ? path.join(${JSON.stringify(packagesDir)}, m[1], 'src', 'index.ts') : request, ...rest);
};
require(entry);
`;
}
