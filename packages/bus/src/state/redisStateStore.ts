// The distributed mode's state store, shared by every stage process. Each write and its expiry go
// in one MULTI, so no key that should expire is ever left without its PEXPIRE. Event time decides
// what a read of a value sees; the real PEXPIREs are only hygiene bounds so Redis does not grow
// forever (a replay of last year's capture must not write keys that expire at once, so no expiry
// is ever set from event time).
import { Counters } from '@sidetap/core';
import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import { ioredis } from '../ioredisModule';
import { windowStart, windowStarts } from './fixedWindow';
import { redisKeys, scoreBound, type RedisKeys } from './redisKeys';
import {
  checkBound,
  checkEventTime,
  checkIncrement,
  checkPositiveInteger,
  checkWindowCount,
} from './stateArgs';
import { STATE_COUNTERS } from './stateCounters';
import type { DistinctMember, ScoredMember, SetOptions, StateStore, StateStoreDeps } from '@sidetap/core';
import {
  redisStateStoreConfigSchema,
  type RedisStateStoreConfig,
  type RedisStateStoreConfigInput,
} from './stateStoreConfig';
import { redactRedisUrl } from '../redisUrl';

/** Members per PFADD, so one call with a huge batch does not become one huge command. */
const PFADD_CHUNK = 4096;

/** Runs a MULTI and returns its replies, throwing the first command error. */
async function exec(multi: ChainableCommander): Promise<unknown[]> {
  const replies = await multi.exec();
  if (replies === null) throw new Error('Redis MULTI was aborted');
  return replies.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

function memberArg(member: DistinctMember): string | Buffer {
  return typeof member === 'string' || Buffer.isBuffer(member)
    ? member
    : Buffer.from(member.buffer, member.byteOffset, member.byteLength);
}

export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;
  readonly counters: Counters;
  readonly config: RedisStateStoreConfig;
  private readonly client: Redis;
  private readonly keys: RedisKeys;
  private lastError: Error | undefined;
  /** Until start-up succeeds a lost connection is not retried: start-up fails at once instead. */
  private started = false;

  /** Connects and checks Redis answers; fails with one sentence naming the URL when it does not. */
  static async connect(config: Omit<RedisStateStoreConfigInput, 'kind'>, deps: StateStoreDeps = {}): Promise<RedisStateStore> {
    const store = new RedisStateStore(config, deps);
    try {
      await store.client.connect();
      await store.client.ping();
      store.started = true;
    } catch (error) {
      if (store.client.status !== 'end') store.client.disconnect();
      const cause = store.lastError ?? (error as Error);
      throw new Error(`state store: cannot reach Redis at ${redactRedisUrl(store.config.url)} (${cause.message})`, { cause });
    }
    return store;
  }

  private constructor(config: Omit<RedisStateStoreConfigInput, 'kind'>, deps: StateStoreDeps) {
    this.config = redisStateStoreConfigSchema.parse({ ...config, kind: 'redis' });
    this.counters = deps.counters ?? new Counters();
    this.keys = redisKeys(this.config.prefix);
    this.client = new (ioredis())(this.config.url, {
      lazyConnect: true,
      connectTimeout: this.config.connectTimeoutMs,
      // Calls made in one tick go out as one write: many small per-event operations, few round trips.
      enableAutoPipelining: true,
      // ioredis's own back-off (50 ms more per attempt, at most 2 s) once running.
      retryStrategy: (attempt) => (this.started ? Math.min(attempt * 50, 2_000) : null),
    });
    // Without a listener ioredis prints every reconnect error; count them instead.
    this.client.on('error', (error: Error) => {
      this.lastError = error;
      this.counters.inc(STATE_COUNTERS.redisConnectionErrors);
    });
  }

  async incrWindow(key: string, at: number, windowMs: number, by = 1): Promise<number> {
    checkEventTime('at', at);
    checkPositiveInteger('windowMs', windowMs);
    checkIncrement(by);
    const redisKey = this.keys.window(key, windowMs, windowStart(at, windowMs));
    const [count] = await exec(
      this.client.multi().incrby(redisKey, by).pexpire(redisKey, this.hygieneMs(windowMs * this.config.windowRetention)),
    );
    return count as number;
  }

  async sumWindows(key: string, at: number, windowMs: number, count: number): Promise<number> {
    checkEventTime('at', at);
    checkPositiveInteger('windowMs', windowMs);
    checkWindowCount(count, this.config.windowRetention);
    const counts = await this.client.mget(windowStarts(at, windowMs, count).map((start) => this.keys.window(key, windowMs, start)));
    let sum = 0;
    for (const value of counts) if (value !== null) sum += Number(value);
    return sum;
  }

  async addDistinct(key: string, members: readonly DistinctMember[], at?: number): Promise<boolean> {
    if (at !== undefined) checkEventTime('at', at);
    if (members.length === 0) return false;
    const redisKey = this.keys.sketch(key);
    const multi = this.client.multi();
    for (let i = 0; i < members.length; i += PFADD_CHUNK) multi.pfadd(redisKey, ...members.slice(i, i + PFADD_CHUNK).map(memberArg));
    multi.pexpire(redisKey, this.hygieneMs(this.config.idleTtlMs));
    const replies = await exec(multi);
    return replies.slice(0, -1).some((changed) => changed === 1);
  }

  async countDistinct(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return this.client.pfcount(...keys.map((key) => this.keys.sketch(key)));
  }

  async zAdd(key: string, score: number, member: string): Promise<boolean> {
    checkEventTime('score', score);
    const redisKey = this.keys.sortedSet(key);
    const [added, evicted] = await exec(
      this.client
        .multi()
        .zadd(redisKey, score, member)
        // Keep the newest maxSortedSetMembers, as the memory store does.
        .zremrangebyrank(redisKey, 0, -(this.config.maxSortedSetMembers + 1))
        .pexpire(redisKey, this.hygieneMs(this.config.idleTtlMs)),
    );
    if ((evicted as number) > 0) this.counters.inc(STATE_COUNTERS.membersEvicted, evicted as number);
    return added === 1;
  }

  async zCount(key: string, from: number, to: number): Promise<number> {
    checkBound('from', from);
    checkBound('to', to);
    return this.client.zcount(this.keys.sortedSet(key), scoreBound(from), scoreBound(to));
  }

  async zRange(key: string, from: number, to: number, limit = this.config.maxSortedSetMembers): Promise<ScoredMember[]> {
    checkBound('from', from);
    checkBound('to', to);
    checkPositiveInteger('limit', limit);
    const flat = await this.client.zrangebyscore(this.keys.sortedSet(key), scoreBound(from), scoreBound(to), 'WITHSCORES', 'LIMIT', 0, limit);
    const out: ScoredMember[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ member: flat[i]!, score: Number(flat[i + 1]) });
    return out;
  }

  async zTrim(key: string, before: number): Promise<number> {
    checkBound('before', before);
    if (before === -Infinity) return 0;
    return this.client.zremrangebyscore(this.keys.sortedSet(key), '-inf', scoreBound(before, before !== Infinity));
  }

  async get(key: string, now: number): Promise<string | undefined> {
    checkEventTime('now', now);
    const [value, expiresAt] = await this.client.hmget(this.keys.value(key), 'v', 'x');
    return value === null || value === undefined || this.expired(expiresAt, now) ? undefined : value;
  }

  async getBuffer(key: string, now: number): Promise<Buffer | undefined> {
    checkEventTime('now', now);
    const [value, expiresAt] = await this.client.hmgetBuffer(this.keys.value(key), 'v', 'x');
    return value === null || value === undefined || this.expired(expiresAt?.toString(), now) ? undefined : value;
  }

  /**
   * Stores {v: value, x: expiry event time} in one hash; with a TTL the key also gets a real
   * PEXPIRE of ttlMs (+ ttlGraceMs), a bound on how long Redis keeps it, never what a read sees.
   */
  async set(key: string, value: string | Buffer, options: SetOptions): Promise<void> {
    checkEventTime('now', options.now);
    if (options.ttlMs !== undefined) checkPositiveInteger('ttlMs', options.ttlMs);
    const redisKey = this.keys.value(key);
    // DEL first: it clears an earlier expiry field and PEXPIRE, so a write without TTL persists.
    const multi = this.client.multi().del(redisKey);
    if (options.ttlMs === undefined) multi.hset(redisKey, 'v', value);
    else multi.hset(redisKey, 'v', value, 'x', String(options.now + options.ttlMs)).pexpire(redisKey, this.hygieneMs(options.ttlMs));
    await exec(multi);
  }

  async delete(key: string): Promise<void> {
    await this.client.del(this.keys.value(key));
  }

  async close(): Promise<void> {
    if (this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private expired(expiresAt: string | null | undefined, now: number): boolean {
    return expiresAt !== null && expiresAt !== undefined && now >= Number(expiresAt);
  }

  private hygieneMs(ms: number): number {
    return ms + this.config.ttlGraceMs;
  }
}
