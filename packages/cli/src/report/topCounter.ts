// The heaviest keys of a stream (actors, endpoints) in bounded memory, after Metwally's
// space-saving: exact while there are few keys; past twice the capacity the lightest are let go,
// and a key arriving after that is counted from the largest count let go, recorded as its possible
// overcount, so a key heavy enough to matter is never missed whatever the order of the stream.

export interface TopEntry<E> {
  key: string;
  /** Upper bound of the key's true count; exact when `overcount` is 0. */
  count: number;
  overcount: number;
  extra: E;
}

export class TopCounter<E> {
  private readonly entries = new Map<string, TopEntry<E>>();
  private floor = 0;
  private total = 0;

  constructor(
    private readonly capacity: number,
    private readonly initial: () => E,
  ) {}

  /** Counts one occurrence of `key` and returns its extra, for the caller to update. */
  add(key: string): E {
    this.total++;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { key, count: this.floor, overcount: this.floor, extra: this.initial() };
      this.entries.set(key, entry);
    }
    entry.count++;
    if (this.entries.size > 2 * this.capacity) this.prune();
    return entry.extra;
  }

  /** Occurrences counted, all keys together. */
  get counted(): number {
    return this.total;
  }

  /** True when every count is exact: no key was ever let go. */
  get exact(): boolean {
    return this.floor === 0;
  }

  /** At least this many distinct keys were seen (exactly this many when `exact`). */
  get distinctAtLeast(): number {
    return this.entries.size;
  }

  top(n: number): Array<TopEntry<E>> {
    return [...this.entries.values()].sort(byCount).slice(0, n);
  }

  private prune(): void {
    const kept = [...this.entries.values()].sort(byCount);
    for (const gone of kept.slice(this.capacity)) {
      this.entries.delete(gone.key);
      if (gone.count > this.floor) this.floor = gone.count;
    }
  }
}

function byCount<E>(a: TopEntry<E>, b: TopEntry<E>): number {
  return b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
