#!/usr/bin/env node
// The `sidetap` command. Built code lives in dist/; `npm run build` (or `npm run setup`) makes it.
'use strict';
let main;
try {
  ({ main } = require('../dist/main.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('sidetap: not built yet; run `npm run setup` in the repository first.\n');
    process.exit(2);
  }
  throw err;
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`sidetap: internal error: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
