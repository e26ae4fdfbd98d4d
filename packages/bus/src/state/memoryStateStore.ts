// The embedded mode's state store. Its clock is the latest event time any call has passed: expired
// values, windows past their retention and idle sets and sketches are purged as that clock moves,
// and every kind of state is bounded by maxKeys and maxBytes with counted LRU eviction.
import { Counters } from '@sidetap/core';
import { BoundedMap } from './boundedMap';
import { windowStart } from './fixedWindow';
import { HyperLogLog } from './hyperLogLog';
import { SortedSet } from './sortedSet';
import {
  checkBound,
  checkEventTime,
  checkIncrement,
  checkPositiveInteger,
  checkWindowCount,
} from './stateArgs';
import type { StateKind } from './stateCounters';
import { STATE_COUNTERS } from './stateCounters';
import type { DistinctMember, ScoredMember, SetOptions, StateStore, StateStoreDeps } from '@sidetap/core';
import {
  memoryStateStoreConfigSchema,
  type MemoryStateStoreConfig,
  type MemoryStateStoreConfigInput,
} from './stateStoreConfig';

interface StoredValue {
  /** Kept as given (a private copy of a Buffer) so the common string case never converts. */
  data: string | Buffer;
  expiresAt: number;
}

interface WindowCounter {
  /** Window start -> count; only windows within retention of the clock are kept. */
  windows: Map<number, number>;
  newest: number;
}

/** Rough bytes per window entry in a counter's map. */
const WINDOW_BYTES = 40;

/** Window lengths whose key prefix is remembered. */
const MAX_WINDOW_LENGTHS = 64;

/** Union counts remembered; beyond it the cache starts over (only costs recounting). */
const MAX_CACHED_UNIONS = 4096;

export class MemoryStateStore implements StateStore {
  readonly kind = 'memory' as const;
  readonly counters: Counters;
  readonly config: MemoryStateStoreConfig;
  private readonly values: BoundedMap<StoredValue>;
  private readonly windowCounters: BoundedMap<WindowCounter>;
  private readonly sortedSets: BoundedMap<SortedSet>;
  private readonly sketches: BoundedMap<HyperLogLog>;
  /** Latest event time passed to any call; -Infinity until the first. */
  private clock = -Infinity;
  /**
   * Last union count per list of sketch keys (filed under its first key, which the caller has just
   * hashed adding to it), with the sketches and versions it was counted from.
   */
  private readonly unions = new Map<string, { keys: readonly string[]; sketches: HyperLogLog[]; versions: number[]; count: number }>();
  /** `${windowMs}:` by window length: a handful, spared a number conversion on every count. */
  private readonly windowPrefixes = new Map<number, string>();
  /** The last counter's key, window length and windowCounters key: a count and a sum of one counter follow each other. */
  private lastKey = '';
  private lastWindowMs = NaN;
  private lastMapKey = '';

  constructor(config: Omit<MemoryStateStoreConfigInput, 'kind'> = {}, deps: StateStoreDeps = {}) {
    this.config = memoryStateStoreConfigSchema.parse({ ...config, kind: 'memory' });
    this.counters = deps.counters ?? new Counters();
    const { maxKeys, maxBytes } = this.config;
    this.values = new BoundedMap(
      'value',
      { maxKeys, maxBytes, sizeOf: (v) => 16 + (typeof v.data === 'string' ? 2 * v.data.length : v.data.length) },
      this.counters,
    );
    this.windowCounters = new BoundedMap('counter', { maxKeys, maxBytes, sizeOf: (c) => 64 + WINDOW_BYTES * c.windows.size }, this.counters);
    this.sortedSets = new BoundedMap('sorted_set', { maxKeys, maxBytes, sizeOf: (s) => 64 + s.byteLength }, this.counters);
    this.sketches = new BoundedMap('sketch', { maxKeys, maxBytes, sizeOf: (s) => s.byteLength }, this.counters);
  }

  async incrWindow(key: string, at: number, windowMs: number, by = 1): Promise<number> {
    checkEventTime('at', at);
    checkPositiveInteger('windowMs', windowMs);
    checkIncrement(by);
    this.advance(at);
    const mapKey = this.windowKey(key, windowMs);
    const span = windowMs * this.config.windowRetention;
    const start = windowStart(at, windowMs);
    let counter = this.windowCounters.get(mapKey);
    if (counter === undefined) {
      counter = { windows: new Map(), newest: start };
      this.windowCounters.set(mapKey, counter);
    }
    let held = counter.windows.get(start);
    if (held === undefined || start + span <= this.clock) {
      // A new window (or a late event in a window already past retention, which starts afresh):
      // drop the windows past retention now, so the map never holds more than it may.
      for (const old of counter.windows.keys()) if (old + span <= this.clock) counter.windows.delete(old);
      counter.newest = Math.max(counter.newest, start);
      // A window past retention was just dropped with the rest.
      if (start + span <= this.clock) held = undefined;
    }
    const count = (held ?? 0) + by;
    counter.windows.set(start, count);
    this.windowCounters.touched(mapKey, counter.newest + span);
    return count;
  }

  async sumWindows(key: string, at: number, windowMs: number, count: number): Promise<number> {
    checkEventTime('at', at);
    checkPositiveInteger('windowMs', windowMs);
    checkWindowCount(count, this.config.windowRetention);
    this.advance(at);
    const counter = this.windowCounters.get(this.windowKey(key, windowMs));
    if (counter === undefined) return 0;
    const span = windowMs * this.config.windowRetention;
    const newest = windowStart(at, windowMs);
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const start = newest - i * windowMs;
      // A window past retention counts as gone even before a new window prunes it.
      if (start + span > this.clock) sum += counter.windows.get(start) ?? 0;
    }
    return sum;
  }

  async addDistinct(key: string, members: readonly DistinctMember[], at?: number): Promise<boolean> {
    if (at !== undefined) {
      checkEventTime('at', at);
      this.advance(at);
    }
    if (members.length === 0) return false;
    let sketch = this.sketches.get(key);
    if (sketch === undefined) {
      sketch = new HyperLogLog();
      this.sketches.set(key, sketch);
    }
    let changed = false;
    for (const member of members) if (sketch.add(member)) changed = true;
    this.sketches.touched(key, this.idleDeadline());
    return changed;
  }

  async countDistinct(keys: readonly string[]): Promise<number> {
    const found: HyperLogLog[] = [];
    for (const key of keys) {
      const sketch = this.sketches.get(key);
      if (sketch !== undefined) found.push(sketch);
    }
    if (found.length < 2) return HyperLogLog.countUnion(found);
    // A union merges 16 KiB per dense sketch; windows are counted again and again while few of
    // their sketches change, so the last union per key list is kept until one of them changes.
    const id = keys[0]!;
    const cached = this.unions.get(id);
    if (
      cached !== undefined &&
      sameKeys(cached.keys, keys) &&
      cached.sketches.length === found.length &&
      cached.sketches.every((s, i) => s === found[i] && s.version === cached.versions[i])
    ) {
      return cached.count;
    }
    const count = HyperLogLog.countUnion(found);
    if (this.unions.size >= MAX_CACHED_UNIONS) this.unions.clear();
    this.unions.set(id, { keys: keys.slice(), sketches: found, versions: found.map((s) => s.version), count });
    return count;
  }

  async zAdd(key: string, score: number, member: string): Promise<boolean> {
    checkEventTime('score', score);
    this.advance(score);
    let set = this.sortedSets.get(key);
    if (set === undefined) {
      set = new SortedSet();
      this.sortedSets.set(key, set);
    }
    const added = set.add(score, member);
    const over = set.size - this.config.maxSortedSetMembers;
    if (over > 0) this.counters.inc(STATE_COUNTERS.membersEvicted, set.removeFirst(over));
    this.sortedSets.touched(key, this.idleDeadline());
    return added;
  }

  async zCount(key: string, from: number, to: number): Promise<number> {
    checkBound('from', from);
    checkBound('to', to);
    return this.sortedSets.get(key)?.count(from, to) ?? 0;
  }

  async zRange(key: string, from: number, to: number, limit = this.config.maxSortedSetMembers): Promise<ScoredMember[]> {
    checkBound('from', from);
    checkBound('to', to);
    checkPositiveInteger('limit', limit);
    return this.sortedSets.get(key)?.range(from, to, limit) ?? [];
  }

  async zTrim(key: string, before: number): Promise<number> {
    checkBound('before', before);
    const set = this.sortedSets.get(key);
    if (set === undefined) return 0;
    const removed = set.trimBefore(before);
    // An emptied set goes, as Redis deletes an empty key.
    if (set.size === 0) this.sortedSets.delete(key);
    else this.sortedSets.touched(key);
    return removed;
  }

  async get(key: string, now: number): Promise<string | undefined> {
    const data = this.read(key, now);
    return data === undefined || typeof data === 'string' ? data : data.toString('utf8');
  }

  async getBuffer(key: string, now: number): Promise<Buffer | undefined> {
    const data = this.read(key, now);
    // A copy, as Redis hands out: a caller editing it must not edit the store.
    return data === undefined ? undefined : typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  }

  async set(key: string, value: string | Buffer, options: SetOptions): Promise<void> {
    checkEventTime('now', options.now);
    if (options.ttlMs !== undefined) checkPositiveInteger('ttlMs', options.ttlMs);
    this.advance(options.now);
    const expiresAt = options.ttlMs === undefined ? Infinity : options.now + options.ttlMs;
    this.values.set(key, { data: typeof value === 'string' ? value : Buffer.from(value), expiresAt }, expiresAt);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  async close(): Promise<void> {
    this.values.clear();
    this.windowCounters.clear();
    this.sortedSets.clear();
    this.sketches.clear();
  }

  /** Keys and approximate bytes held per kind of state (for gauges and tests). */
  sizes(): Record<StateKind, { keys: number; bytes: number }> {
    const of = <V>(map: BoundedMap<V>): { keys: number; bytes: number } => ({ keys: map.size, bytes: map.byteSize });
    return {
      value: of(this.values),
      counter: of(this.windowCounters),
      sorted_set: of(this.sortedSets),
      sketch: of(this.sketches),
    };
  }

  private read(key: string, now: number): string | Buffer | undefined {
    checkEventTime('now', now);
    this.advance(now);
    const value = this.values.get(key);
    // Expired for this read even when not purged yet (purging runs only as the clock moves on).
    return value === undefined || now >= value.expiresAt ? undefined : value.data;
  }

  /** windowCounters' key of a counter: `${windowMs}:${key}`. */
  private windowKey(key: string, windowMs: number): string {
    if (key === this.lastKey && windowMs === this.lastWindowMs) return this.lastMapKey;
    let prefix = this.windowPrefixes.get(windowMs);
    if (prefix === undefined) {
      // Window lengths come from detector configs; should a caller vary them, this starts over.
      if (this.windowPrefixes.size >= MAX_WINDOW_LENGTHS) this.windowPrefixes.clear();
      this.windowPrefixes.set(windowMs, (prefix = `${windowMs}:`));
    }
    this.lastKey = key;
    this.lastWindowMs = windowMs;
    this.lastMapKey = prefix + key;
    return this.lastMapKey;
  }

  /** Deadline of a set or sketch written now: idleTtlMs after the clock (never, before any event time). */
  private idleDeadline(): number {
    return this.clock === -Infinity ? Infinity : this.clock + this.config.idleTtlMs;
  }

  private advance(eventTime: number): void {
    if (eventTime <= this.clock) return;
    this.clock = eventTime;
    this.values.expire(eventTime);
    this.windowCounters.expire(eventTime);
    this.sortedSets.expire(eventTime);
    this.sketches.expire(eventTime);
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
