// Starts a worker thread on an entry file of this package. In production the worker runs the
// built `<name>.js` beside its caller. Run from TypeScript sources (jest, tsx) there is no built
// file, so a small bootstrap registers tsx and maps @sidetap/* to sources, as jest's
// moduleNameMapper does.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** `dir`: the caller's __dirname; `name`: the entry file's name without extension. */
export function startWorker(dir: string, name: string, workerData: unknown): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(join(dir, `${name}.js`), { workerData });
  const source = join(dir, `${name}.ts`);
  if (!existsSync(source)) throw new Error(`no worker entry ${name} in ${dir}`);
  // This file is packages/capture/src/workerStart.ts: two levels up is packages/.
  return new Worker(sourceBootstrap(source, join(__dirname, '../..')), { eval: true, workerData });
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
