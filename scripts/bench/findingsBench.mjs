#!/usr/bin/env node
// `sidetap findings` over a store of 100,000 findings (DESIGN.md budget: under a second), as a
// user runs it (a new process, output to /dev/null): all as NDJSON, all as a table, and a filtered
// query. Printed against the 1 s budget and against floors measured in the same run:
// node starting and doing nothing, `cat` of the segment files, and JSON.parse of every
// finding (what a store without an index would have to do at least).
//   BENCH_FINDINGS  findings (default 100000)
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const require = createRequire(import.meta.url);
const { LocalStore } = require(join(root, 'packages/indexer/dist/index.js'));
const { RULE_CATEGORIES } = require(join(root, 'packages/core/dist/index.js'));
const bin = join(root, 'packages/cli/bin/sidetap.js');

const N = Number(process.env.BENCH_FINDINGS ?? 100_000);
const RUNS = 3;
const store = mkdtempSync(join(tmpdir(), 'sidetap-findings-bench-'));
process.on('exit', () => rmSync(store, { recursive: true, force: true }));

// Deterministic findings shaped like the detectors' (sizes, fields, a week of event time).
// mulberry32: a seeded generator whose low bits are as random as its high ones.
let seed = 42;
const rand = (n) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) % n;
};
const START = Date.UTC(2024, 4, 1);
const ENDPOINTS = ['/api/v1/products', '/api/v1/accounts/{id}', '/api/v1/orders/{id}', '/api/v1/auth/login', '/api/v1/search', '/api/v1/files', '/api/v1/users/{id}/profile'];
function finding(i) {
  const category = RULE_CATEGORIES[rand(RULE_CATEGORIES.length)];
  const time = new Date(START + Math.floor((i / N) * 7 * 86_400_000) + rand(1000)).toISOString();
  const user = rand(4) === 0 ? undefined : `user-${1000 + rand(500)}`;
  const ip = `198.51.${rand(256)}.${rand(256)}`;
  const endpoint = ENDPOINTS[rand(ENDPOINTS.length)];
  const hex = i.toString(16).padStart(32, '0');
  return {
    '@timestamp': time,
    event: { kind: 'alert', id: hex, severity: 1 + rand(4), risk_score: rand(100), dataset: 'sidetap.finding' },
    rule: { id: `${category}.rule_${rand(3)}`, name: `${category.replace(/_/g, ' ')} rule`, category },
    message: `${category.replace(/_/g, ' ')} on GET ${endpoint} from ${ip}${user ? ` by ${user}` : ''}: observed value well beyond what the baseline expects (score ${rand(10)} at paranoia 1).`,
    sidetap: {
      detector: 'bench',
      evidence: {
        exchange_ids: [hex.slice(8), (i + 1).toString(16).padStart(24, '0')],
        excerpts: [`${time} ${ip} GET ${endpoint} → 500`, `query id: ' OR '1'='1 [s&sos] a boolean condition is appended after closing a string`],
        window: { start: time, end: time },
        observed: `query id: ' OR '1'='${rand(9)}`,
      },
      capture_quality: { complete: true, flags: [] },
      owasp_api: 'API8:2023',
      actor_key: user ? `jwt:${user}` : `ip:${ip}`,
      endpoint,
      incident: { id: hex, risk_score: rand(100), findings: 1 + rand(5), categories: [category], start: time },
    },
    threat: { technique: { id: ['T1190'] } },
    ...(user ? { user: { id: user } } : {}),
    source: { ip },
  };
}

const s = new LocalStore(store);
for (let i = 0; i < N; i += 500) await s.append('alert', Array.from({ length: Math.min(500, N - i) }, (_, k) => finding(i + k)));
await s.close();
const dir = join(store, 'findings');
const segments = readdirSync(dir).filter((n) => n.endsWith('.ndjson')).map((n) => join(dir, n));

function best(fn) {
  let min = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const t = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e9);
  }
  return min;
}
const devNull = openSync('/dev/null', 'w');
const sidetap = (args) => () => {
  const r = spawnSync(process.execPath, [bin, ...args], { stdio: ['ignore', devNull, 'pipe'] });
  if (r.status !== 0) throw new Error(`sidetap ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
};

// Not timed: the listing holds every finding.
const listed = execFileSync(process.execPath, [bin, 'findings', '--store', store, '--ndjson'], { maxBuffer: 1 << 30 });
let lines = 0;
for (let p = listed.indexOf(10); p !== -1; p = listed.indexOf(10, p + 1)) lines++;
if (lines !== N) throw new Error(`sidetap findings listed ${lines} findings of ${N}`);

const cat = best(() => execFileSync('cat', segments, { stdio: ['ignore', devNull, 'inherit'] }));
const parse = best(() => {
  for (const f of segments) for (const l of readFileSync(f, 'utf8').split('\n')) if (l !== '') JSON.parse(l);
});
const startup = best(() => execFileSync(process.execPath, ['-e', ''], { stdio: ['ignore', devNull, 'inherit'] }));
const ndjson = best(sidetap(['findings', '--store', store, '--ndjson']));
const table = best(sidetap(['findings', '--store', store]));
const filtered = best(sidetap(['findings', '--store', store, '--category', 'sqli,xss', '--severity', 'high', '--since', '3d']));
closeSync(devNull);

const bytes = segments.reduce((n, f) => n + readFileSync(f).length, 0);
const line = (what, t) => `  ${what.padEnd(44)} ${t.toFixed(3)} s`;
const vs = (t) => `  ${(t / 1).toFixed(2)}x budget, ${(t / parse).toFixed(2)}x parse floor, ${(t - startup).toFixed(3)} s after node start`;
console.log(`sidetap findings, ${N} findings (${(bytes / 1048576).toFixed(0)} MiB in ${segments.length} segments), best of ${RUNS}, budget 1 s:`);
console.log(line('floor: cat the segments', cat));
console.log(line('floor: JSON.parse every finding (in process)', parse));
console.log(line('floor: node starting and doing nothing', startup));
console.log(line('findings --ndjson', ndjson) + vs(ndjson));
console.log(line('findings (table)', table) + vs(table));
console.log(line('findings --category sqli,xss --severity high --since 3d', filtered) + vs(filtered));
