// The state a stage keeps per actor and globally, behind one interface: in memory (embedded mode)
// or in Redis shared by many stage processes (distributed mode). Every time argument is EVENT time
// (capture ms since the epoch), never the wall clock, so a replay gives the same answers every time.
import type { Counters } from './counters';

/** A member of a distinct-count sketch: text or raw bytes. */
export type DistinctMember = string | Uint8Array;

export interface ScoredMember {
  member: string;
  /** Event time (ms) the member was added at, or the score given. */
  score: number;
}

export interface SetOptions {
  /** Event time of the write; the TTL runs from here. */
  now: number;
  /** The value is gone for reads at now >= this write's now + ttlMs (event time). Absent: no expiry. */
  ttlMs?: number;
}

export interface StateStoreDeps {
  /** Shared counters of the process; a private instance when absent. */
  counters?: Counters;
}

export interface StateStore {
  readonly kind: 'memory' | 'redis';
  /** `state_*_total` counters (evictions, expiries); the runner may pass a shared instance. */
  readonly counters: Counters;

  /**
   * Adds `by` (an integer, default 1) to the fixed window holding `at` (windows start at multiples
   * of windowMs) and returns that window's new count. Each windowMs is a separate counter.
   */
  incrWindow(key: string, at: number, windowMs: number, by?: number): Promise<number>;
  /** Sum of the `count` fixed windows ending with the one holding `at` (count <= windowRetention). */
  sumWindows(key: string, at: number, windowMs: number, count: number): Promise<number>;

  /**
   * Adds members to a distinct-count sketch; true when a register changed (PFADD). `at`, the
   * event time of the members, moves the memory store's clock (a sketch is dropped idleTtlMs after
   * its last add).
   */
  addDistinct(key: string, members: readonly DistinctMember[], at?: number): Promise<boolean>;
  /** Approximate distinct members over the union of the sketches (PFCOUNT); absent keys count 0. */
  countDistinct(keys: readonly string[]): Promise<number>;

  /** Adds a member at a score (its event time), or moves it; true when it was new. */
  zAdd(key: string, score: number, member: string): Promise<boolean>;
  /** Members with from <= score <= to. */
  zCount(key: string, from: number, to: number): Promise<number>;
  /** Members with from <= score <= to, by score then member, at most `limit`. */
  zRange(key: string, from: number, to: number, limit?: number): Promise<ScoredMember[]>;
  /** Removes members with score < before; returns how many. */
  zTrim(key: string, before: number): Promise<number>;

  /** The value as UTF-8 text, or undefined when absent or expired at event time `now`. */
  get(key: string, now: number): Promise<string | undefined>;
  /** The value's bytes, or undefined when absent or expired at event time `now`. */
  getBuffer(key: string, now: number): Promise<Buffer | undefined>;
  set(key: string, value: string | Buffer, options: SetOptions): Promise<void>;
  delete(key: string): Promise<void>;

  close(): Promise<void>;
}
