// A map with a key limit, an optional byte budget and event-time deadlines: beyond a limit the
// least recently used entry is evicted (counted), and entries whose deadline event time has passed
// are purged (counted) when the caller advances its clock.
import type { Counters } from '@sidetap/core';
import { DeadlineHeap } from './deadlineHeap';
import { STATE_COUNTERS, type StateKind } from './stateCounters';

interface Slot<V> {
  readonly key: string;
  value: V;
  /** Event time at which the entry expires; Infinity for never. */
  deadline: number;
  bytes: number;
  newer: Slot<V> | undefined;
  older: Slot<V> | undefined;
}

export interface BoundedMapLimits<V> {
  maxKeys: number;
  /** Budget over the approximate size of every entry (key, value and bookkeeping). */
  maxBytes: number;
  /** Approximate bytes a value holds; called on every set and touch, so it must be O(1). */
  sizeOf: (value: V) => number;
}

/** Rough cost of a map entry, its slot object and a heap entry, beside the key's characters. */
const ENTRY_BYTES = 120;

export class BoundedMap<V> {
  // Recency is a linked list beside the Map: refreshing an entry by delete-and-set on the Map
  // costs V8 time that grows with the entry count when the same keys come back again and again.
  private readonly slots = new Map<string, Slot<V>>();
  private newest: Slot<V> | undefined;
  private oldest: Slot<V> | undefined;
  private readonly deadlines = new DeadlineHeap<Slot<V>>();
  private bytes = 0;

  constructor(
    private readonly kind: StateKind,
    private readonly limits: BoundedMapLimits<V>,
    private readonly counters: Counters,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  get byteSize(): number {
    return this.bytes;
  }

  /** The value, now the most recently used. */
  get(key: string): V | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (slot !== this.newest) {
      this.unlink(slot);
      this.pushNewest(slot);
    }
    return slot.value;
  }

  /** Inserts or replaces a value as the most recently used, then evicts down to the limits. */
  set(key: string, value: V, deadline = Infinity): void {
    const old = this.slots.get(key);
    if (old !== undefined) {
      // Most writes replace a value read just before (per-actor state): refresh the slot in place
      // rather than delete and re-insert the key, which costs the Map a hash, a tombstone and,
      // now and then, a rehash. Its heap entry stays valid when the deadline is unchanged.
      this.bytes -= old.bytes;
      old.value = value;
      old.bytes = this.weigh(key, value);
      this.bytes += old.bytes;
      if (old !== this.newest) {
        this.unlink(old);
        this.pushNewest(old);
      }
      this.setDeadline(old, deadline);
      this.evictToLimits();
      return;
    }
    const slot: Slot<V> = { key, value, deadline: Infinity, bytes: this.weigh(key, value), newer: undefined, older: undefined };
    this.bytes += slot.bytes;
    this.slots.set(key, slot);
    this.pushNewest(slot);
    this.setDeadline(slot, deadline);
    this.evictToLimits();
  }

  /** Re-weighs a value the caller changed in place and, when given, moves its deadline. */
  touched(key: string, deadline?: number): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    const bytes = this.weigh(key, slot.value);
    this.bytes += bytes - slot.bytes;
    slot.bytes = bytes;
    if (deadline !== undefined) this.setDeadline(slot, deadline);
    if (this.bytes > this.limits.maxBytes) this.evictToLimits();
  }

  delete(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.slots.delete(key);
    this.unlink(slot);
    this.bytes -= slot.bytes;
  }

  /** Drops every entry whose deadline is at or before `clock` (event time). */
  expire(clock: number): void {
    while (this.deadlines.peek() <= clock) {
      const slot = this.deadlines.pop()!;
      // A heap entry is stale when its slot was replaced, deleted or given a later deadline.
      if (this.slots.get(slot.key) !== slot || slot.deadline > clock) continue;
      this.slots.delete(slot.key);
      this.unlink(slot);
      this.bytes -= slot.bytes;
      this.counters.inc(STATE_COUNTERS.keysExpired[this.kind]);
    }
  }

  clear(): void {
    this.slots.clear();
    this.newest = undefined;
    this.oldest = undefined;
    this.deadlines.reset([]);
    this.bytes = 0;
  }

  private unlink(slot: Slot<V>): void {
    if (slot.newer === undefined) this.newest = slot.older;
    else slot.newer.older = slot.older;
    if (slot.older === undefined) this.oldest = slot.newer;
    else slot.older.newer = slot.newer;
    slot.newer = undefined;
    slot.older = undefined;
  }

  private pushNewest(slot: Slot<V>): void {
    slot.older = this.newest;
    slot.newer = undefined;
    if (this.newest === undefined) this.oldest = slot;
    else this.newest.newer = slot;
    this.newest = slot;
  }

  private weigh(key: string, value: V): number {
    return ENTRY_BYTES + 2 * key.length + this.limits.sizeOf(value);
  }

  private setDeadline(slot: Slot<V>, deadline: number): void {
    if (deadline === slot.deadline) return;
    slot.deadline = deadline;
    if (deadline === Infinity) return;
    this.deadlines.push(deadline, slot);
    // Stale heap entries are shed in bulk, so the heap stays within a small multiple of the keys.
    if (this.deadlines.size > 2 * this.slots.size + 1024) {
      const live: Array<[number, Slot<V>]> = [];
      for (const s of this.slots.values()) if (s.deadline !== Infinity) live.push([s.deadline, s]);
      this.deadlines.reset(live);
    }
  }

  private evictToLimits(): void {
    while (this.slots.size > this.limits.maxKeys || (this.bytes > this.limits.maxBytes && this.slots.size > 0)) {
      const oldest = this.oldest!;
      this.slots.delete(oldest.key);
      this.unlink(oldest);
      this.bytes -= oldest.bytes;
      this.counters.inc(STATE_COUNTERS.keysEvicted[this.kind]);
    }
  }
}
