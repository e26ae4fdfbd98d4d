// The distributed mode end to end: capture, sessionizer, anomaly and indexer as separate
// `sidetap run` processes over a real Kafka protocol peer (librdkafka's mock cluster) give the
// same records as the embedded replay, and lose nothing when a consumer is killed mid-stream or
// the broker goes down while records flow.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKafkaMock } from '../scripts/kafkaMock/kafkaMock';
import type { KafkaMock } from '../scripts/kafkaMock/kafkaMock';
import { startRedis } from '../scripts/redis/redisServer';
import { runCli, startStage } from './helpers/stageProcess';
import type { StageProcess } from './helpers/stageProcess';
import { readStoreRecordsSync } from '@sidetap/indexer';
import type { StoreKind } from '@sidetap/indexer';

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'sidetap-distributed-'));
const TOPICS = { 'sidetap.exchanges': 4, 'sidetap.events': 4, 'sidetap.sessions': 2, 'sidetap.findings': 2 };
// The mock cluster needs short group sessions; the same keys a real deployment would set.
const env = {
  SIDETAP_REDACTION_KEY: 'distributed-test-key-0123456789',
  SIDETAP_BUS__KAFKA__SESSION_TIMEOUT_MS: '6000',
  SIDETAP_BUS__KAFKA__HEARTBEAT_INTERVAL_MS: '500',
  SIDETAP_BUS__KAFKA__RETRY_MAX_MS: '2000',
  SIDETAP_BUS__KAFKA__FETCH_MAX_WAIT_MS: '200',
  SIDETAP_LOGGING__LEVEL: 'warn',
};

let mock: KafkaMock;
let running: StageProcess[] = [];
let afterCleanup: (() => Promise<void>)[] = [];

beforeEach(async () => {
  mock = await startKafkaMock({ topics: TOPICS });
});
afterEach(async () => {
  await Promise.all(running.map((p) => p.kill()));
  running = [];
  await mock.stop();
  for (const clean of afterCleanup) await clean();
  afterCleanup = [];
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function stage(name: string, store: string, extra: string[] = []): StageProcess {
  const p = startStage([name, '--brokers', mock.brokers.join(','), '--store', store, ...extra], env);
  running.push(p);
  return p;
}

function storedIds(store: string, kind: StoreKind = 'event'): string[] {
  // The indexer may be mid-append: the store reader skips a torn last line.
  return readStoreRecordsSync<{ event: { id: string } }>(store, kind).map((r) => r.event.id);
}

async function until(predicate: () => boolean | Promise<boolean>, what: string, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function embedded(capture: string, store: string): Promise<Map<string, string>> {
  const r = await runCli(['replay', capture, '--store', store], env);
  expect(r.code).toBe(0);
  return recordsById(store);
}

function recordsById(store: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of readStoreRecordsSync<{ event: { id: string } }>(store, 'event')) out.set(r.event.id, JSON.stringify(r));
  return out;
}

async function startPipeline(store: string, extra: string[] = []): Promise<StageProcess[]> {
  const stages = ['sessionizer', 'anomaly', 'indexer'].map((s) => stage(s, store, extra));
  await Promise.all(stages.map((s) => s.ready));
  return stages;
}

it('runs capture, sessionizer, anomaly and indexer as processes and stores what the embedded replay stores', async () => {
  const capture = join(root, 'fixtures/pcaps/demo.pcap');
  const expected = await embedded(capture, join(work, 'embedded'));
  expect(expected.size).toBeGreaterThan(100);

  const store = join(work, 'distributed');
  // Shared state in a real Redis, as a fleet would run.
  const redis = await startRedis();
  afterCleanup.push(() => redis.stop());
  const stages = await startPipeline(store, ['--redis', redis.url]);
  const cap = await runCli(['run', 'capture', '--brokers', mock.brokers.join(','), '--store', store, '--metrics', '127.0.0.1:0', capture], env);
  expect(cap.stderr).toContain(`${expected.size} exchanges`);
  expect(cap.code).toBe(0);
  await until(() => storedIds(store).length >= expected.size, 'the indexer to store every event');
  // The end-of-stream watermark crossed every stage.
  await until(async () => (await stages[2]!.counter('runner_records_received_total')) >= expected.size, 'indexer metrics');
  for (const s of stages) expect(await s.stop()).toBe(0);

  const got = recordsById(store);
  expect(storedIds(store)).toHaveLength(expected.size);
  expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, line] of expected) expect(JSON.parse(got.get(id)!)).toEqual(JSON.parse(line));
}, 180_000);

describe('faults', () => {
  let big: string;
  let expectedIds: string[];
  beforeAll(async () => {
    big = join(work, 'big.pcap');
    execFileSync(process.execPath, [join(root, 'scripts/fixtures/generate.mjs'), '--bench', '8000', '--out', big], { stdio: 'ignore' });
    expectedIds = [...(await embedded(big, join(work, 'big-embedded'))).keys()].sort();
    expect(expectedIds.length).toBe(8000);
  }, 120_000);

  it('loses nothing when the sessionizer is killed mid-stream and restarted', async () => {
    const store = join(work, 'killed');
    const [sessionizer] = await startPipeline(store);
    const cap = runCli(['run', 'capture', '--brokers', mock.brokers.join(','), '--store', store, '--metrics', '127.0.0.1:0', big], env);
    await until(() => storedIds(store).length > 500, 'part of the stream to pass');
    await sessionizer!.kill();
    expect(storedIds(store).length).toBeLessThan(expectedIds.length);
    const restarted = stage('sessionizer', store);
    await restarted.ready;
    expect((await cap).code).toBe(0);
    await until(() => new Set(storedIds(store)).size >= expectedIds.length, 'every event after the restart', 150_000);
    expect([...new Set(storedIds(store))].sort()).toEqual(expectedIds);
  }, 240_000);

  it('loses nothing when the broker goes down and comes back while records flow', async () => {
    const store = join(work, 'outage');
    await startPipeline(store);
    const cap = runCli(['run', 'capture', '--brokers', mock.brokers.join(','), '--store', store, '--metrics', '127.0.0.1:0', big], env);
    await until(() => storedIds(store).length > 500, 'part of the stream to pass');
    await mock.brokerDown();
    const during = storedIds(store).length;
    await new Promise((r) => setTimeout(r, 3000));
    await mock.brokerUp();
    expect(during).toBeLessThan(expectedIds.length);
    expect((await cap).code).toBe(0);
    await until(() => new Set(storedIds(store)).size >= expectedIds.length, 'every event after the outage', 150_000);
    expect([...new Set(storedIds(store))].sort()).toEqual(expectedIds);
  }, 240_000);
});

it('refuses to start a stage whose topics do not exist, naming the command that creates them', async () => {
  const bare = await startKafkaMock();
  try {
    const r = await runCli(['run', 'sessionizer', '--brokers', bare.brokers.join(','), '--metrics', '127.0.0.1:0'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sidetap kafka setup');
  } finally {
    await bare.stop();
  }
}, 60_000);

it('refuses to start a stage whose Redis cannot be reached, naming it', async () => {
  const r = await runCli(['run', 'sessionizer', '--brokers', mock.brokers.join(','), '--metrics', '127.0.0.1:0', '--redis', 'redis://127.0.0.1:1/0'], env);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('redis://127.0.0.1:1');
}, 60_000);

it('kafka setup reports the topics that exist', async () => {
  const r = await runCli(['kafka', 'setup', '--brokers', mock.brokers.join(',')], env);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('sidetap.exchanges: exists, 4 partitions');
  expect(r.stdout).toContain('sidetap.findings: exists, 2 partitions');
}, 60_000);
