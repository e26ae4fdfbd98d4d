// Starts a segment worker: the built segmentWorker.js beside this file, or, run from TypeScript
// sources (jest, tsx), a bootstrap that registers tsx and maps @sidetap/* to sources as jest's
// moduleNameMapper does (the same arrangement as parallel/workerEntry.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SegmentWorkerData } from './segmentWorkerMessages';

export function startSegmentWorker(data: SegmentWorkerData): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'segmentWorker.js'), { workerData: data });
  const source = join(__dirname, 'segmentWorker.ts');
  if (!existsSync(source)) throw new Error(`no segment worker entry beside ${__filename}`);
  return new Worker(sourceBootstrap(source, join(__dirname, '../../../..')), { eval: true, workerData: data });
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
