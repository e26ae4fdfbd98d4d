// Values a detector learned during the learning period (a baseline maximum, a marker) read back
// for every later event. They no longer change once learning is over, so after it they are read
// from the state store once per key and kept here (bounded), sparing a store round trip per event.
import type { StateStore } from '@sidetap/core';

/** Keys kept; beyond it the cache starts over, which only costs re-reads. */
const MAX_KEYS = 100_000;

export class LearnedValues {
  private readonly cache = new Map<string, string | undefined>();

  constructor(private readonly state: StateStore) {}

  async get(key: string, t: number, learning: boolean): Promise<string | undefined> {
    if (learning) return this.state.get(key, t);
    if (this.cache.has(key)) return this.cache.get(key);
    const value = await this.state.get(key, t);
    if (this.cache.size >= MAX_KEYS) this.cache.clear();
    this.cache.set(key, value);
    return value;
  }
}
