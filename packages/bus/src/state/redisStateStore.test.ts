// The Redis store against a real redis-server: the shared behaviour (each store under its own key
// prefix), then its key layout, hygiene TTLs, sharing between processes and agreement with the
// memory sketch.
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { startRedis, type RedisServer } from '../../../../scripts/redis/redisServer';
import { createStateStore } from './createStateStore';
import { MemoryStateStore } from './memoryStateStore';
import { RedisStateStore } from './redisStateStore';
import { STATE_COUNTERS } from './stateCounters';
import { describeStateStore } from './stateStoreSuite';

let server: RedisServer | undefined;
let admin: Redis | undefined;
let stores = 0;

beforeAll(async () => {
  // Fails every test here, with "run scripts/setup", when redis-server is not installed.
  server = await startRedis();
  admin = new Redis(server.url);
});

afterAll(async () => {
  await admin?.quit();
  await server?.stop();
});

function url(db = 0): string {
  if (server === undefined) throw new Error('redis-server did not start (see the beforeAll error)');
  return `redis://127.0.0.1:${server.port}/${db}`;
}

describeStateStore('redis', async (limits) => RedisStateStore.connect({ url: url(), prefix: `suite${++stores}:`, ...limits }));

const T0 = Date.UTC(2001, 8, 9, 12, 0, 0);
const MINUTE = 60_000;
const DAY = 86_400_000;

describe('RedisStateStore keys', () => {
  it('puts every key under the prefix with the documented layout and a hygiene TTL', async () => {
    // Database 3 holds only this store's keys.
    const db = new Redis(url(3));
    const s = await RedisStateStore.connect({ url: url(3), prefix: 'layout:', windowRetention: 10 });
    try {
      await s.incrWindow('login:10.0.0.1', T0 + 5, MINUTE);
      await s.zAdd('attempts:alice', T0, 'ex-1');
      await s.addDistinct('paths:alice', ['/a', '/b'], T0);
      await s.set('session:abc', 'sess-1', { now: T0, ttlMs: 30 * MINUTE });
      await s.set('model:baseline', 'm', { now: T0 });
      expect((await db.keys('*')).sort()).toEqual([
        'layout:d:paths:alice',
        'layout:v:model:baseline',
        'layout:v:session:abc',
        `layout:w:login:10.0.0.1:${MINUTE}:${T0}`,
        'layout:z:attempts:alice',
      ]);
      const pttl = async (key: string): Promise<number> => db.pttl(key);
      const windowTtl = await pttl(`layout:w:login:10.0.0.1:${MINUTE}:${T0}`);
      expect(windowTtl).toBeGreaterThan(10 * MINUTE - 5_000);
      expect(windowTtl).toBeLessThanOrEqual(10 * MINUTE);
      for (const key of ['layout:z:attempts:alice', 'layout:d:paths:alice']) {
        expect(await pttl(key)).toBeGreaterThan(7 * DAY - 5_000);
        expect(await pttl(key)).toBeLessThanOrEqual(7 * DAY);
      }
      expect(await pttl('layout:v:session:abc')).toBeGreaterThan(30 * MINUTE - 5_000);
      expect(await pttl('layout:v:session:abc')).toBeLessThanOrEqual(30 * MINUTE);
      // Without a TTL a value persists, even where an earlier write had one.
      expect(await pttl('layout:v:model:baseline')).toBe(-1);
      await s.set('session:abc', 'sess-2', { now: T0 });
      expect(await pttl('layout:v:session:abc')).toBe(-1);
      // The event-time expiry sits beside the value, for any reader to apply.
      await s.set('session:abc', 'sess-3', { now: T0, ttlMs: 1_000 });
      expect(await db.hgetall('layout:v:session:abc')).toEqual({ v: 'sess-3', x: String(T0 + 1_000) });
    } finally {
      await s.close();
      await db.quit();
    }
  });

  it('uses sidetap: as the default prefix and adds ttlGraceMs to every PEXPIRE', async () => {
    const db = new Redis(url(4));
    const s = await RedisStateStore.connect({ url: url(4), ttlGraceMs: DAY });
    try {
      await s.set('k', 'v', { now: T0, ttlMs: 1_000 });
      await s.incrWindow('k', T0, 1_000);
      expect((await db.keys('*')).sort()).toEqual(['sidetap:v:k', `sidetap:w:k:1000:${T0}`]);
      expect(await db.pttl('sidetap:v:k')).toBeGreaterThan(DAY);
      expect(await db.pttl(`sidetap:w:k:1000:${T0}`)).toBeGreaterThan(DAY + 59_000);
    } finally {
      await s.close();
      await db.quit();
    }
  });

  it('counts sorted-set members dropped beyond maxSortedSetMembers', async () => {
    const s = await RedisStateStore.connect({ url: url(), prefix: `cap${++stores}:`, maxSortedSetMembers: 2 });
    try {
      for (let i = 0; i < 5; i++) await s.zAdd('z', T0 + i, `m${i}`);
      expect(s.counters.get(STATE_COUNTERS.membersEvicted)).toBe(3);
    } finally {
      await s.close();
    }
  });
});

describe('RedisStateStore shared by several processes', () => {
  it('lets stage processes count into the same windows, sets, sketches and values', async () => {
    const prefix = `shared${++stores}:`;
    const [a, b] = await Promise.all([RedisStateStore.connect({ url: url(), prefix }), RedisStateStore.connect({ url: url(), prefix })]);
    try {
      await Promise.all([a.incrWindow('ep', T0, MINUTE, 2), b.incrWindow('ep', T0 + 1, MINUTE, 3)]);
      expect(await a.sumWindows('ep', T0, MINUTE, 1)).toBe(5);
      await a.addDistinct('ips', ['1', '2'], T0);
      await b.addDistinct('ips', ['2', '3'], T0);
      expect(await b.countDistinct(['ips'])).toBe(3);
      await a.set('deny:token', 'revoked', { now: T0, ttlMs: MINUTE });
      expect(await b.get('deny:token', T0 + 1)).toBe('revoked');
      expect(await b.get('deny:token', T0 + MINUTE)).toBeUndefined();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('RedisStateStore and the memory sketch', () => {
  it('give exactly the same distinct counts for the same members', async () => {
    const redis = await RedisStateStore.connect({ url: url(), prefix: `hll${++stores}:` });
    const memory = new MemoryStateStore();
    try {
      for (const n of [1, 7, 300, 3_000, 40_000]) {
        const members = Array.from({ length: n }, (_, i) => `${n}:member-${i}`);
        for (const s of [redis, memory]) await s.addDistinct(`n${n}`, [...members, Buffer.from('bytes'), 'naïve-🙂'], T0);
        expect(await memory.countDistinct([`n${n}`])).toBe(await redis.countDistinct([`n${n}`]));
      }
      const all = ['n1', 'n7', 'n300', 'n3000', 'n40000'];
      expect(await memory.countDistinct(all)).toBe(await redis.countDistinct(all));
    } finally {
      await redis.close();
      await memory.close();
    }
  });
});

describe('createStateStore with Redis', () => {
  it('connects to a reachable server', async () => {
    const s = await createStateStore({ kind: 'redis', url: url(), prefix: `factory${++stores}:` });
    try {
      expect(s.kind).toBe('redis');
      expect(await s.incrWindow('k', T0, MINUTE)).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('fails at start-up, naming the URL without its password, when Redis is unreachable', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 1));
      });
    });
    const attempt = createStateStore({ kind: 'redis', url: `redis://:hunter2@127.0.0.1:${port}/0` });
    await expect(attempt).rejects.toThrow(`state store: cannot reach Redis at redis://:***@127.0.0.1:${port}/0`);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });
});
