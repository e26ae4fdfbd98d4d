// A map whose entries are given up in second-chance (CLOCK) order: a hit only sets a flag, and
// a hand sweeping a ring of slots evicts the first entry not used since it last passed. It
// never iterates a JS Map, whose deleted-entry holes make queue-like use O(n) per eviction.

export class ClockMap<V> {
  private readonly slots = new Map<string, number>();
  private readonly keys: Array<string | undefined> = [];
  private readonly values: Array<V | undefined> = [];
  private readonly used: boolean[] = [];
  private readonly free: number[] = [];
  private hand = 0;

  get size(): number {
    return this.slots.size;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  /** The value, marking it used. */
  get(key: string): V | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    this.used[slot] = true;
    return this.values[slot];
  }

  /** Inserts unused, or replaces (and marks used) the value of a present key. */
  set(key: string, value: V): void {
    const present = this.slots.get(key);
    if (present !== undefined) {
      this.values[present] = value;
      this.used[present] = true;
      return;
    }
    // A slot just freed by eviction sits behind the hand, so a new entry gets a full sweep.
    const slot = this.free.pop() ?? this.keys.length;
    this.keys[slot] = key;
    this.values[slot] = value;
    this.used[slot] = false;
    this.slots.set(key, slot);
  }

  delete(key: string): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    this.slots.delete(key);
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    this.used[slot] = false;
    this.free.push(slot);
    return true;
  }

  /** Removes and returns the next entry in CLOCK order; undefined when empty. */
  evictOne(): [string, V] | undefined {
    if (this.slots.size === 0) return undefined;
    // Ends within two sweeps: the first clears every used flag it passes.
    for (;;) {
      if (this.hand >= this.keys.length) this.hand = 0;
      const slot = this.hand++;
      const key = this.keys[slot];
      if (key === undefined) continue;
      if (this.used[slot] === true) {
        this.used[slot] = false;
        continue;
      }
      const value = this.values[slot] as V;
      this.delete(key);
      return [key, value];
    }
  }

  /** Entries in the order the hand would reach them. */
  *entries(): IterableIterator<[string, V]> {
    const n = this.keys.length;
    for (let k = 0; k < n; k++) {
      const slot = (this.hand + k) % n;
      const key = this.keys[slot];
      if (key !== undefined) yield [key, this.values[slot] as V];
    }
  }

  clear(): void {
    this.slots.clear();
    this.keys.length = 0;
    this.values.length = 0;
    this.used.length = 0;
    this.free.length = 0;
    this.hand = 0;
  }
}
