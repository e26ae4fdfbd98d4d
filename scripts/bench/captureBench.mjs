#!/usr/bin/env node
// `npm run bench`: capture speed and memory, as ratios against peers and the libpcap read floor
// measured in the same run on the same machine (never absolute numbers in timed tests).
//   BENCH_EXCHANGES         exchanges in the main capture (default 300000)
//   BENCH_TSHARK_EXCHANGES  exchanges in the capture tshark reads (default: the main capture; tshark
//                           takes minutes there, so a smaller one can be given for a quick run)
//   BENCH_MEMORY_LARGE      exchanges in the long capture of the memory check (default 1000000)
import { spawnSync } from 'node:child_process';
import { benchCapture as capture } from './benchCapture.mjs';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const outDir = join(root, 'bench-out');
const sidetap = join(root, 'packages/cli/bin/sidetap.js');
const N = Number(process.env.BENCH_EXCHANGES ?? 300_000);
const TSHARK_N = Number(process.env.BENCH_TSHARK_EXCHANGES ?? N);
const MEM_SMALL = 100_000;
const MEM_LARGE = Number(process.env.BENCH_MEMORY_LARGE ?? 1_000_000);


/** Runs a command under GNU time; stdout goes to /dev/null. Returns seconds, peak RSS and stderr. */
function measure(cmd, args) {
  const timing = join(outDir, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timing, cmd, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.toString().slice(-2000)}`);
  const [seconds, rssKb] = readFileSync(timing, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { seconds, rssMb: rssKb / 1024, stderr: r.stderr.toString() };
}

function best(times, fn) {
  let out;
  for (let i = 0; i < times; i++) {
    const r = fn();
    if (!out || r.seconds < out.seconds) out = r;
  }
  return out;
}

function exchangesFrom(stderr) {
  const m = /(\d+) exchanges in/.exec(stderr);
  if (!m) throw new Error(`no exchange count in sidetap's summary:\n${stderr}`);
  return Number(m[1]);
}

const runSidetap = (file) => measure(process.execPath, [sidetap, 'capture', file, '--ndjson', '--store', join(outDir, 'store')]);
const fmt = (x, d = 2) => x.toFixed(d);

mkdirSync(outDir, { recursive: true });
for (const tool of ['tcpdump', 'httpry', 'tshark']) {
  if (spawnSync('which', [tool]).status !== 0) {
    console.error(`bench: ${tool} is not installed; run scripts/setup as root.`);
    process.exit(2);
  }
}

const main = capture(N);
const mb = statSync(main).size / 1e6;
console.log(`capture: ${main} (${fmt(mb, 0)} MB, ${N} exchanges)`);

const floor = best(3, () => measure('tcpdump', ['-r', main, '-w', '/dev/null']));
const ours = best(2, () => runSidetap(main));
const ourExchanges = exchangesFrom(ours.stderr);
const httpry = best(2, () => measure('httpry', ['-q', '-r', main, '-o', '/dev/null', 'tcp']));

const small = capture(TSHARK_N);
process.stderr.write(`tshark on ${TSHARK_N} exchanges (takes a while)...\n`);
const tshark = measure('tshark', ['-n', '-r', small, '-Y', 'http.request', '-T', 'fields', '-e', 'http.request.method', '-e', 'http.request.uri', '-e', 'http.host']);
const oursSmall = TSHARK_N === N ? ours : best(2, () => runSidetap(small));

const rows = [
  ['libpcap read floor (tcpdump -r -w /dev/null)', floor, N],
  ['sidetap capture --ndjson > /dev/null', ours, ourExchanges],
  ['httpry (request and status lines only)', httpry, N],
  [`tshark -Y http.request (on ${TSHARK_N} exchanges)`, tshark, TSHARK_N],
  ...(TSHARK_N === N ? [] : [[`sidetap capture (on ${TSHARK_N} exchanges)`, oursSmall, exchangesFrom(oursSmall.stderr)]]),
];
console.log('\n' + ['tool'.padEnd(52), 'seconds', 'exch/s'.padStart(10), 'MB/s'.padStart(8), 'peak RSS MB'].join('  '));
for (const [name, r, n] of rows) {
  const size = n === TSHARK_N && TSHARK_N !== N && name.includes(`${TSHARK_N} exchanges`) ? statSync(small).size / 1e6 : mb;
  console.log([name.padEnd(52), fmt(r.seconds).padStart(7), String(Math.round(n / r.seconds)).padStart(10), fmt(size / r.seconds, 0).padStart(8), fmt(r.rssMb, 0).padStart(11)].join('  '));
}

const vsHttpry = httpry.seconds / ours.seconds;
const vsTshark = tshark.seconds / oursSmall.seconds;
const vsFloor = ours.seconds / floor.seconds;
const verdict = (ok) => (ok ? 'meets target' : 'MISSES target');
console.log('\nratios (same run, same machine):');
console.log(`  sidetap vs httpry:      ${fmt(vsHttpry)}x as fast  (target >= 1)    ${verdict(vsHttpry >= 1)}`);
console.log(`  sidetap vs tshark:      ${fmt(vsTshark, 1)}x as fast  (target >= 50)   ${verdict(vsTshark >= 50)}`);
console.log(`  sidetap / read floor:   ${fmt(vsFloor, 1)}x the time (target <= 10)   ${verdict(vsFloor <= 10)}`);
if (ourExchanges !== N) console.log(`  WARNING: sidetap reported ${ourExchanges} exchanges, the generator wrote ${N}`);

// The output's own cost, measured on the same exchanges: what an ECS document per exchange costs
// before any capture work, next to httpry, which writes two short lines per exchange.
const encoding = JSON.parse(spawnSync(process.execPath, [join(root, 'scripts/bench/ndjsonEncoding.mjs'), main, '100000'], { encoding: 'utf8' }).stdout);
const encodingUs = (encoding.seconds / encoding.exchanges) * 1e6;
const encodingAll = (encodingUs * N) / 1e6;
console.log(`\nNDJSON encoding alone (${encoding.exchanges} pre-built exchanges, ${fmt(encoding.bytes / encoding.exchanges, 0)} bytes each, one thread):`);
console.log(`  ${fmt(encodingUs, 1)} us per exchange = ${fmt(encodingAll)} s for this capture = ${fmt(encodingAll / httpry.seconds)}x httpry's whole run`);

if (process.env.BENCH_SKIP_MEMORY !== '1') {
  const shortRun = runSidetap(capture(MEM_SMALL));
  const longRun = runSidetap(capture(MEM_LARGE));
  const growth = longRun.rssMb / shortRun.rssMb;
  console.log(`\nmemory: peak RSS ${fmt(shortRun.rssMb, 0)} MB after ${MEM_SMALL} exchanges, ${fmt(longRun.rssMb, 0)} MB after ${MEM_LARGE}`);
  console.log(`  growth ${fmt(growth)}x for ${MEM_LARGE / MEM_SMALL}x the traffic (target <= 1.25)   ${verdict(growth <= 1.25)}`);
}
rmSync(join(outDir, 'store'), { recursive: true, force: true });
