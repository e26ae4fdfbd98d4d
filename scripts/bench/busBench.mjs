#!/usr/bin/env node
// `npm run bench` (bus part): the record wire format and the two buses, as ratios measured in the
// same run: MessagePack against the JSON envelope on exchanges captured from the bench pcap, then
// end-to-end throughput of MemoryBus and of KafkaBus (librdkafka's mock broker) with each codec.
// Runs on the built packages: `npx turbo run build` first.
//   --only codec,memory,kafka  run only these parts (kafka needs scripts/setup's librdkafka-dev)
//   BENCH_BUS_EXCHANGES        exchanges in the capture the records come from (default 10000)
//   BENCH_MEMORY_RECORDS       records through MemoryBus (default 1000000)
//   BENCH_KAFKA_RECORDS        records through KafkaBus per codec (default 50000)
//   BENCH_KAFKA_COMPRESSION    none|gzip (default: KafkaBus's own default, gzip)
import { benchCapture as capture } from './benchCapture.mjs';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const outDir = join(root, 'bench-out');
const require = createRequire(import.meta.url);
const N = Number(process.env.BENCH_BUS_EXCHANGES ?? 10_000);
const MEMORY_RECORDS = Number(process.env.BENCH_MEMORY_RECORDS ?? 1_000_000);
const KAFKA_RECORDS = Number(process.env.BENCH_KAFKA_RECORDS ?? 50_000);
const KAFKA_COMPRESSION = process.env.BENCH_KAFKA_COMPRESSION;
const BATCH = 500;
// Each codec measurement repeats passes over the records until this much time has gone by.
const MEASURE_MS = 1000;
// A stalled consumer (a group that never settles) ends the run instead of hanging it; longer than
// the 5 s the mock can hold an empty fetch.
const KAFKA_STALL_MS = 12_000;
// As many as `sidetap kafka setup` gives the exchanges topic by default.
const KAFKA_PARTITIONS = 12;
// librdkafka's mock keeps about 5 MB of log per partition and silently drops older batches (the
// consumer then logs "offset out of range" and skips them), so a run is cut to fit under this,
// which leaves room for keys spreading unevenly over the partitions.
const MOCK_PARTITION_BYTES = 2.5e6;
const PARTS = ['codec', 'memory', 'kafka'];

function parseOnly(argv) {
  const at = argv.indexOf('--only');
  if (at === -1) return new Set(PARTS);
  const parts = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = parts.filter((p) => !PARTS.includes(p));
  if (parts.length === 0 || unknown.length > 0) {
    console.error(`busBench: --only takes a list of ${PARTS.join(',')}${unknown.length ? `, not ${unknown.join(',')}` : ''}`);
    process.exit(2);
  }
  return new Set(parts);
}

function loadDist(pkg) {
  const file = join(root, 'packages', pkg, 'dist/index.js');
  if (!existsSync(file)) {
    console.error(`busBench: ${file} is missing; run npx turbo run build first.`);
    process.exit(2);
  }
  return require(file);
}


/** Runs fn(i) over `count` items in passes until MEASURE_MS is spent; returns items a second. */
function rate(count, fn) {
  for (let i = 0; i < count; i++) fn(i); // warm-up pass, so the JIT has settled before timing
  let done = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < MEASURE_MS) {
    for (let i = 0; i < count; i++) fn(i);
    done += count;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return done / (elapsedMs / 1000);
}

const fmt = (x, d = 2) => x.toFixed(d);
const perSec = (x) => String(Math.round(x)).padStart(10);
const seconds = (startNs) => Number(process.hrtime.bigint() - startNs) / 1e9;

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`busBench: gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The keyed records a capture stage would publish: `count` of them, cycling through the capture. */
function keyedRecords(exchanges, count) {
  return Array.from({ length: count }, (_, i) => {
    const value = exchanges[i % exchanges.length];
    return { key: value.sidetap.actor_key, value };
  });
}

async function captureExchanges(core, captureLib) {
  const file = capture(N);
  const exchanges = [];
  const summary = await captureLib.captureFiles([file], {
    config: captureLib.defaultCaptureConfig(),
    redactor: core.createRedactor({ key: Buffer.alloc(32, 1) }),
    onExchange: (exchange) => void exchanges.push(exchange),
  });
  if (summary.fault) throw new Error(`busBench: ${file}: ${summary.fault.message}`);
  if (exchanges.length === 0) throw new Error(`busBench: no exchanges in ${file}`);
  return { file, exchanges };
}

function benchCodecs(core, exchanges) {
  const schema = core.httpExchangeSchema;
  const msgpack = core.createRecordCodec('exchange', schema);
  const json = core.createJsonRecordCodec('exchange', schema);
  const msgpackTrusting = core.createRecordCodec('exchange', schema, { validate: false });
  const jsonTrusting = core.createJsonRecordCodec('exchange', schema, { validate: false });
  // A dist built before the JSON codec took options would validate anyway and skew the ratio.
  try {
    jsonTrusting.decode(Buffer.from(JSON.stringify([core.RECORD_SCHEMA_VERSION, 'exchange', { not: 'an exchange' }])));
  } catch {
    throw new Error('busBench: packages/core/dist is older than its source (the JSON codec ignores validate: false); run npx turbo run build');
  }
  const packed = exchanges.map((e) => msgpack.encode(e));
  const text = exchanges.map((e) => json.encode(e));
  const mean = (list) => list.reduce((sum, b) => sum + b.byteLength, 0) / list.length;
  const n = exchanges.length;
  const rows = {
    bytes: [mean(packed), mean(text)],
    encode: [rate(n, (i) => msgpack.encode(exchanges[i])), rate(n, (i) => json.encode(exchanges[i]))],
    decodeValidated: [rate(n, (i) => msgpack.decode(packed[i])), rate(n, (i) => json.decode(text[i]))],
    decodeTrusting: [rate(n, (i) => msgpackTrusting.decode(packed[i])), rate(n, (i) => jsonTrusting.decode(text[i]))],
  };
  console.log(`\ncodec: ${n} exchanges, each encoded and decoded in passes of at least ${MEASURE_MS} ms`);
  console.log(['measure'.padEnd(36), 'msgpack'.padStart(10), 'json'.padStart(10), 'msgpack/json'.padStart(13)].join('  '));
  const line = (name, [a, b], digits = 0) =>
    console.log([name.padEnd(36), fmt(a, digits).padStart(10), fmt(b, digits).padStart(10), fmt(a / b).padStart(13)].join('  '));
  line('mean encoded bytes', rows.bytes, 0);
  line('encode records/s', rows.encode);
  line('decode records/s (validated)', rows.decodeValidated);
  line('decode records/s (validate: false)', rows.decodeTrusting);
  return rows;
}

async function benchMemoryBus(bus, core, exchanges) {
  const records = keyedRecords(exchanges, MEMORY_RECORDS);
  const memory = new bus.MemoryBus({});
  const topic = { name: 'sidetap.exchanges', codec: core.createRecordCodec('exchange', core.httpExchangeSchema) };
  let seen = 0;
  // The group must exist before the first publish: MemoryBus drops what nobody reads.
  await memory.consume(topic, { group: 'bench', fromBeginning: true }, async (batch) => {
    seen += batch.records.length;
  });
  const start = process.hrtime.bigint();
  for (let i = 0; i < records.length; i += BATCH) await memory.publish(topic, records.slice(i, i + BATCH));
  await waitFor(() => seen >= records.length, 60_000, 'MemoryBus to deliver every record');
  const s = seconds(start);
  await memory.close();
  const perSecond = records.length / s;
  console.log(`\nMemoryBus: ${records.length} records in batches of ${BATCH}, one group, end to end (records are passed by reference, never encoded)`);
  console.log(`  ${fmt(s)} s   ${perSec(perSecond).trim()} records/s`);
  return { seconds: s, perSecond };
}

/**
 * Publishes `records` through KafkaBus with `codec`, then reads them back with one group. The two
 * halves are timed apart because librdkafka's mock answers a fetch that finds nothing new only
 * after the consumer's whole max wait (5 s in kafkajs), however soon records arrive: a consumer
 * that keeps up with a live producer would measure those waits, not the bus. The mock also hands
 * out one produced batch per partition per fetch, so the consume rate is a floor for a real broker.
 */
async function kafkaRun(bus, mock, logger, name, codec, records) {
  const topic = { name, codec };
  await mock.createTopic(name, KAFKA_PARTITIONS);
  const config = {
    brokers: mock.brokers,
    // The mock needs short group sessions or a rebalance stalls for the default 30 s.
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 500,
    ...(KAFKA_COMPRESSION ? { compression: KAFKA_COMPRESSION } : {}),
  };
  const producer = new bus.KafkaBus(config, logger);
  const consumer = new bus.KafkaBus(config, logger);
  try {
    // The first batch pays for the connection and the metadata round trips: sent before the clock.
    await producer.publish(topic, records.slice(0, BATCH));
    let start = process.hrtime.bigint();
    for (let i = BATCH; i < records.length; i += BATCH) await producer.publish(topic, records.slice(i, i + BATCH));
    const publishSeconds = seconds(start);

    let seen = 0;
    let first;
    let lastMoved = Date.now();
    const joinStart = process.hrtime.bigint();
    await consumer.consume(topic, { group: `bench-${name}`, fromBeginning: true }, async (batch) => {
      // The clock starts at the first batch: joining the group is start-up, not throughput.
      first ??= process.hrtime.bigint();
      seen += batch.records.length;
      lastMoved = Date.now();
    });
    await waitFor(() => first !== undefined, KAFKA_STALL_MS, `the ${name} group to join and read its first batch`);
    const joinSeconds = Number(first - joinStart) / 1e9;
    start = first;
    await waitFor(
      () => {
        if (Date.now() - lastMoved > KAFKA_STALL_MS) {
          throw new Error(`busBench: ${name}: consumer stalled at ${seen}/${records.length} records (lost to the mock's per-partition log limit?)`);
        }
        return seen >= records.length;
      },
      KAFKA_STALL_MS * 8,
      `${name} to deliver every record`,
    );
    const consumeSeconds = seconds(start);
    const rejected = Object.entries(consumer.counters.snapshot()).filter(([k]) => k.startsWith('bus_records_rejected_total'));
    if (rejected.length > 0) throw new Error(`busBench: ${name}: records rejected: ${JSON.stringify(rejected)}`);
    const payloadMb = records.reduce((sum, r) => sum + codec.encode(r.value).byteLength, 0) / 1e6;
    const published = records.length - BATCH;
    return {
      joinSeconds,
      publish: { seconds: publishSeconds, perSecond: published / publishSeconds, mbPerSecond: (payloadMb * published) / records.length / publishSeconds },
      consume: { seconds: consumeSeconds, perSecond: records.length / consumeSeconds, mbPerSecond: payloadMb / consumeSeconds },
      duplicates: seen - records.length,
    };
  } finally {
    await consumer.close();
    await producer.close();
  }
}

async function benchKafka(bus, core, exchanges) {
  // kafkaMock.ts is TypeScript; tsx's require compiles it on the fly without a global hook.
  const { require: tsxRequire } = require('tsx/cjs/api');
  const { startKafkaMock } = tsxRequire('../kafkaMock/kafkaMock.ts', import.meta.url);
  const { pino } = require('pino');
  const logger = pino({ level: 'silent' });
  const schema = core.httpExchangeSchema;
  const codecs = { msgpack: core.createRecordCodec('exchange', schema), json: core.createJsonRecordCodec('exchange', schema) };
  const compression = KAFKA_COMPRESSION ?? 'gzip';
  // The whole run must fit in the mock's log (see MOCK_PARTITION_BYTES): count it at the larger
  // encoding, with gzip assumed to shrink it at least fivefold (it does about eightfold here).
  const largest = Math.max(...Object.values(codecs).map((c) => exchanges.reduce((sum, e) => sum + c.encode(e).byteLength, 0) / exchanges.length));
  const fits = Math.floor((KAFKA_PARTITIONS * MOCK_PARTITION_BYTES * (compression === 'gzip' ? 5 : 1)) / largest);
  const count = Math.min(KAFKA_RECORDS, fits);
  const records = keyedRecords(exchanges, count);
  const mock = await startKafkaMock();
  const results = {};
  try {
    for (const [name, codec] of Object.entries(codecs)) {
      results[name] = await kafkaRun(bus, mock, logger, `bench.${name}.${process.pid}`, codec, records);
    }
  } finally {
    try {
      await mock.stop();
    } catch {
      // stop() failed half-way: end the mock by its PID so no broker outlives the run.
      process.kill(mock.pid, 'SIGKILL');
    }
  }
  console.log(
    `\nKafkaBus on librdkafka's mock broker: ${count} records per codec${count < KAFKA_RECORDS ? ` (cut from ${KAFKA_RECORDS} to fit the mock's log)` : ''}, ` +
      `batches of ${BATCH}, ${KAFKA_PARTITIONS} partitions, ${compression} batches, acks=all, one group`,
  );
  console.log('(publish all, then consume all from the first fetched batch; payload = record values before batch compression)');
  console.log(['codec'.padEnd(10), 'publish rec/s'.padStart(13), 'MB/s'.padStart(7), 'consume rec/s'.padStart(13), 'MB/s'.padStart(7), 'join s'.padStart(7)].join('  '));
  for (const [name, r] of Object.entries(results)) {
    console.log(
      [name.padEnd(10), perSec(r.publish.perSecond).padStart(13), fmt(r.publish.mbPerSecond, 1).padStart(7), perSec(r.consume.perSecond).padStart(13), fmt(r.consume.mbPerSecond, 1).padStart(7), fmt(r.joinSeconds).padStart(7)].join('  '),
    );
    if (r.duplicates > 0) console.log(`  WARNING: ${name}: ${r.duplicates} records delivered twice (a rebalance during the run)`);
  }
  return results;
}

async function main() {
  const only = parseOnly(process.argv.slice(2));
  const core = loadDist('core');
  const bus = loadDist('bus');
  const captureLib = loadDist('capture');
  mkdirSync(outDir, { recursive: true });
  const began = process.hrtime.bigint();

  const { file, exchanges } = await captureExchanges(core, captureLib);
  const methods = new Set(exchanges.map((e) => e.http.request.method));
  console.log(`records: ${exchanges.length} exchanges captured from ${file} (methods ${[...methods].sort().join(', ')})`);

  const codec = only.has('codec') ? benchCodecs(core, exchanges) : undefined;
  const memory = only.has('memory') ? await benchMemoryBus(bus, core, exchanges) : undefined;
  const kafka = only.has('kafka') ? await benchKafka(bus, core, exchanges) : undefined;

  console.log('\nsummary (same run, same machine; msgpack/json ratios, below 1 = smaller or slower):');
  if (codec) {
    const r = (row) => fmt(row[0] / row[1]);
    console.log(`  encoded size        ${fmt(codec.bytes[0], 0)} B vs ${fmt(codec.bytes[1], 0)} B   msgpack/json ${r(codec.bytes)}`);
    console.log(`  encode              msgpack/json ${r(codec.encode)}x the speed`);
    console.log(`  decode validated    msgpack/json ${r(codec.decodeValidated)}x the speed`);
    console.log(`  decode unvalidated  msgpack/json ${r(codec.decodeTrusting)}x the speed`);
    console.log(`  validation costs    ${fmt((1 - codec.decodeValidated[0] / codec.decodeTrusting[0]) * 100, 0)}% of msgpack decode throughput`);
  }
  if (memory) console.log(`  MemoryBus           ${perSec(memory.perSecond).trim()} records/s end to end`);
  if (kafka) {
    const { msgpack, json } = kafka;
    const side = (r) => `publish ${perSec(r.publish.perSecond).trim()} rec/s (${fmt(r.publish.mbPerSecond, 1)} MB/s), consume ${perSec(r.consume.perSecond).trim()} rec/s (${fmt(r.consume.mbPerSecond, 1)} MB/s)`;
    console.log(`  KafkaBus msgpack    ${side(msgpack)}`);
    console.log(`  KafkaBus json       ${side(json)}`);
    console.log(
      `  KafkaBus            msgpack/json ${fmt(msgpack.publish.perSecond / json.publish.perSecond)}x publish, ${fmt(msgpack.consume.perSecond / json.consume.perSecond)}x consume records/s`,
    );
  }
  console.log(`  total time          ${fmt(seconds(began), 1)} s`);
}

main().catch((err) => {
  // Our own failures are one sentence; anything else is a bug and keeps its stack.
  console.error(err instanceof Error && err.message.startsWith('busBench:') ? err.message : err);
  process.exit(1);
});
