// Both model stores behave the same: named documents replaced whole, absent until written, names
// checked; Redis is a real redis-server started for the test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { ModelStore } from '@sidetap/core';
import { startRedis, type RedisServer } from '../../../../scripts/redis/redisServer';
import { DirectoryModelStore } from './directoryModelStore';
import { RedisModelStore } from './redisModelStore';

let server: RedisServer | undefined;
const dir = mkdtempSync(join(tmpdir(), 'sidetap-models-'));
let prefixes = 0;

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const url = (): string => `redis://127.0.0.1:${server!.port}/5`;

describe.each([
  ['directory', async (): Promise<ModelStore> => new DirectoryModelStore(join(dir, `s${++prefixes}`))],
  ['redis', async (): Promise<ModelStore> => RedisModelStore.connect({ url: url(), prefix: `t${++prefixes}:` })],
])('%s model store', (_kind, open) => {
  let store: ModelStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => store.close());

  it('has no document until one is written, then the last one written', async () => {
    expect(await store.get('anomaly')).toBeUndefined();
    await store.put('anomaly', '{"a":1}');
    await store.put('anomaly', '{"a":2}');
    expect(await store.get('anomaly')).toBe('{"a":2}');
    expect(await store.get('settings')).toBeUndefined();
  });

  it('is shared by every client of the same place', async () => {
    await store.put('settings', '{"x":true}');
    const other = store.kind === 'redis' ? await RedisModelStore.connect({ url: url(), prefix: `t${prefixes}:` }) : new DirectoryModelStore(join(dir, `s${prefixes}`));
    expect(await other.get('settings')).toBe('{"x":true}');
    await other.close();
  });

  it('refuses names that are not plain words', async () => {
    await expect(store.put('../etc/passwd', 'x')).rejects.toThrow('is not a document name');
    expect(() => store.where('a b')).toThrow('is not a document name');
  });
});

it('keeps a Redis document\'s revision count and the text it replaced', async () => {
  const store = await RedisModelStore.connect({ url: url(), prefix: 'rev:' });
  await store.put('anomaly', 'one');
  await store.put('anomaly', 'two');
  expect(await store.revision('anomaly')).toBe(2);
  const admin = new Redis(url());
  expect(await admin.get('rev:models:anomaly:previous')).toBe('one');
  expect(store.where('anomaly')).toContain('rev:models:anomaly');
  await admin.quit();
  await store.close();
});

it('writes the directory document where it says', async () => {
  const store = new DirectoryModelStore(join(dir, 'where'));
  await store.put('anomaly', 'text');
  expect(readFileSync(store.where('anomaly'), 'utf8')).toBe('text');
});

it('names the Redis URL, password masked, when Redis cannot be reached', async () => {
  await expect(RedisModelStore.connect({ url: 'redis://:secret@127.0.0.1:1/0', connectTimeoutMs: 500 })).rejects.toThrow(/model store: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1\/0/);
});
