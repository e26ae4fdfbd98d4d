#!/usr/bin/env node
// `npm run bench` (live part): does spreading a live source's reassembly over worker threads pay
// on this machine? The same packets (a generated capture held in memory) are fed to the live
// engine as libpcap would hand them, in bursts with a turn of the event loop between, reassembled
// on the main thread and then on 1, 2 (and, with more CPUs, 4) workers sharded by flow hash. Rates
// are printed as ratios against the main-thread run and against the floor of handing the packets
// to a decoder that keeps nothing, all measured in the same run.
// The distributed capture stage (collect --brokers) only forwards exchanges to Kafka, encoded: its
// rows compare encoding on the source thread (what --workers 0 pays: objects, then the bus's
// MessagePack encode) with workers that encode and hand back bytes the source thread forwards.
// The figure that matters is the source thread's own CPU per exchange: it caps one live source
// however many cores the workers get, and unlike wall time a busy machine does not inflate it.
// Runs on the built packages: `npx turbo run build` first.
//   BENCH_LIVE_EXCHANGES  exchanges in the capture (default 100000)
//   BENCH_LIVE_BURST      packets per burst between event-loop turns (default 256)
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { benchCapture, ROOT } from './benchCapture.mjs';

const require = createRequire(import.meta.url);
const { captureConfigSchema, createExchangeRecordCodec, LiveEngine, PacketCapture, readEncodedExchanges } = require(join(ROOT, 'packages/capture/dist/index.js'));
const { Counters } = require(join(ROOT, 'packages/core/dist/index.js'));

const N = Number(process.env.BENCH_LIVE_EXCHANGES ?? 100_000);
const BURST = Number(process.env.BENCH_LIVE_BURST ?? 256);
const config = captureConfigSchema.parse({});
const key = Buffer.alloc(32, 7);

/** The packets of a classic little-endian pcap, each with its capture time. */
function packetsOf(file) {
  const b = readFileSync(file);
  const linktype = b.readUInt32LE(20) & 0xffff;
  const nano = b.readUInt32LE(0) === 0xa1b23c4d;
  const out = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const caplen = b.readUInt32LE(o + 8);
    const tsUs = b.readUInt32LE(o) * 1e6 + (nano ? b.readUInt32LE(o + 4) / 1000 : b.readUInt32LE(o + 4));
    out.push({ tsUs, linktype, buf: b, offset: o + 16, caplen, origLen: b.readUInt32LE(o + 12), iface: 0, fileOffset: o });
    o += 16 + caplen;
  }
  return out;
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
/** CPU ms this thread (the source's) has used: Linux's per-thread counters, which, unlike wall time, a busy machine does not inflate. */
function threadCpuMs() {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function feedAll(packets, feed) {
  for (let i = 0; i < packets.length; i += BURST) {
    const end = Math.min(i + BURST, packets.length);
    for (let j = i; j < end; j++) feed(packets[j]);
    await turn();
  }
}

/** What the capture stage's publisher keeps per exchange until it publishes a batch: key and bytes. */
function publisherStandIn() {
  let pending = [];
  return {
    add(record) {
      pending.push(record);
      if (pending.length >= 500) pending = [];
    },
  };
}

/**
 * How the engine hands exchanges over: `objects` (counted), `encode` (objects encoded here, as the
 * bus does for --workers 0), `encoded` (the workers' bytes, read and kept as the publisher does).
 */
function outputOf(mode, count) {
  const publisher = publisherStandIn();
  if (mode === 'objects') return { onExchange: () => count() };
  if (mode === 'encode') {
    const codec = createExchangeRecordCodec();
    return {
      onExchange: (ex) => {
        count();
        Date.parse(ex['@timestamp']);
        publisher.add({ key: ex.sidetap.actor_key, bytes: codec.encode(ex) });
      },
    };
  }
  return {
    onEncoded: (batch) =>
      readEncodedExchanges(batch, (key, tsMs, bytes) => {
        count();
        publisher.add({ key, bytes });
      }),
  };
}

/** Seconds to turn every packet into exchanges, and how many came out, with `workers` threads. */
async function run(packets, workers, mode = 'objects') {
  let exchanges = 0;
  // A queue deep enough never to drop: this measures capacity, not loss.
  const engine = new LiveEngine({ config, redactionKey: key, source: 'live', workers, workerQueueBatches: 1 << 20, ...outputOf(mode, () => (exchanges += 1)) });
  // Workers load first, as collect waits for them before it announces a source.
  await engine.ready();
  const started = process.hrtime.bigint();
  const cpuBefore = threadCpuMs();
  await feedAll(packets, (p) => engine.feed(p));
  await engine.stop(packets[packets.length - 1].tsUs);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // The source thread's own busy time (decoding, batching, taking the workers' exchanges back):
  // what caps one live source however many cores the workers get.
  const mainBusyMs = threadCpuMs() - cpuBefore;
  const dropped = engine.snapshot()['capture_worker_segments_dropped_total'] ?? 0;
  return { seconds, exchanges, dropped, mainUsPerExchange: (mainBusyMs * 1000) / Math.max(1, exchanges) };
}

/** The floor: packets decoded into segments that nothing keeps. */
async function floor(packets) {
  const sink = { onSegment() {}, advanceClock() {}, closeAll() {}, openFlows: 0 };
  const decoder = new PacketCapture(config, new Counters(), sink);
  const started = process.hrtime.bigint();
  await feedAll(packets, (p) => decoder.feed(p));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

const best = async (times, f) => {
  let out;
  for (let i = 0; i < times; i++) {
    const r = await f();
    if (out === undefined || r.seconds < out.seconds) out = r;
  }
  return out;
};

const file = benchCapture(N);
const packets = packetsOf(file);
const cpus = availableParallelism();
console.log(`live engine: ${packets.length} packets, ${N} exchanges from ${file}; ${cpus} CPUs; bursts of ${BURST}`);

const decodeFloor = await best(3, () => floor(packets));
const inline = await best(2, () => run(packets, 0));
const rows = [['decode only (floor)', decodeFloor, undefined], ['main thread', inline, inline]];
const workerCounts = cpus > 2 ? [1, 2, 4] : [1, 2];
for (const w of workerCounts) rows.push([`${w} worker${w === 1 ? '' : 's'}`, await best(2, () => run(packets, w)), undefined]);
const objectRows = rows.length;
const inlineEncode = await best(2, () => run(packets, 0, 'encode'));
rows.push(['main thread + encode', inlineEncode, undefined]);
for (const w of workerCounts) rows.push([`${w} worker${w === 1 ? '' : 's'}, encoded`, await best(2, () => run(packets, w, 'encoded')), undefined]);

console.log('\n' + ['reassembly on'.padEnd(22), 'seconds', 'exch/s'.padStart(9), 'vs main'.padStart(8), 'x floor'.padStart(8), 'source thread CPU µs/exch'.padStart(22), 'its ceiling exch/s'.padStart(19)].join('  '));
for (const [name, r] of rows) {
  const rate = r.exchanges === undefined ? '' : String(Math.round(r.exchanges / r.seconds));
  const vsMain = r.exchanges === undefined ? '' : `${(inline.seconds / r.seconds).toFixed(2)}x`;
  const busy = r.mainUsPerExchange === undefined ? '' : r.mainUsPerExchange.toFixed(1);
  const ceiling = r.mainUsPerExchange === undefined ? '' : String(Math.round(1e6 / r.mainUsPerExchange));
  console.log([name.padEnd(22), r.seconds.toFixed(2).padStart(7), rate.padStart(9), vsMain.padStart(8), `${(r.seconds / decodeFloor.seconds).toFixed(1)}x`.padStart(8), busy.padStart(22), ceiling.padStart(19)].join('  '));
  if (r.exchanges !== undefined && r.exchanges !== N) console.log(`  WARNING: ${r.exchanges} exchanges, the generator wrote ${N} (${r.dropped} segments dropped)`);
}
const bestWorkers = rows.slice(2, objectRows).reduce((a, b) => (b[1].seconds < a[1].seconds ? b : a));
const gain = inline.seconds / bestWorkers[1].seconds;
console.log(`\nworkers ${gain > 1.05 ? 'help' : 'do not help'} here: best is ${bestWorkers[0]}, ${gain.toFixed(2)}x the main thread's rate (same run, same packets).`);
const raised = inline.mainUsPerExchange / bestWorkers[1].mainUsPerExchange;
console.log(`the source thread's own work per exchange is ${raised.toFixed(2)}x smaller with ${bestWorkers[0]}: that raises the one-core ceiling of a live source ${raised.toFixed(2)}x where the workers have cores of their own.`);

// The distributed capture stage: the ceiling with encoding workers against encoding on the source thread.
const bestEncoded = rows.slice(objectRows + 1).reduce((a, b) => (b[1].mainUsPerExchange < a[1].mainUsPerExchange ? b : a));
const ceilingRatio = inlineEncode.mainUsPerExchange / bestEncoded[1].mainUsPerExchange;
console.log(
  `\nforwarding to Kafka (collect --brokers): the source thread spends ${inlineEncode.mainUsPerExchange.toFixed(1)} µs per exchange encoding itself and ` +
    `${bestEncoded[1].mainUsPerExchange.toFixed(1)} µs with ${bestEncoded[0]}: its one-core ceiling is ${ceilingRatio.toFixed(2)}x higher ` +
    `(${Math.round(1e6 / inlineEncode.mainUsPerExchange)} -> ${Math.round(1e6 / bestEncoded[1].mainUsPerExchange)} exch/s) where the workers have cores of their own.`,
);
