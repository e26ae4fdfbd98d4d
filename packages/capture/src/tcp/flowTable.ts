// Open connections by flow key, linked in order of last activity so the least recently active one
// is found in O(1) for idle expiry and eviction, and marking activity is a few pointer moves.

/** What an entry carries so the table can link it without allocating per activity. */
export interface FlowLink<T> {
  readonly key: string;
  /** Capture time of the last activity, in microseconds. */
  lastUs: number;
  older: T | undefined;
  newer: T | undefined;
}

export class FlowTable<T extends FlowLink<T>> {
  private readonly byKey = new Map<string, T>();
  private oldestEntry: T | undefined;
  private newestEntry: T | undefined;

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): T | undefined {
    return this.byKey.get(key);
  }

  /** The least recently active entry. */
  oldest(): T | undefined {
    return this.oldestEntry;
  }

  add(entry: T, nowUs: number): void {
    this.byKey.set(entry.key, entry);
    entry.lastUs = nowUs;
    this.linkNewest(entry);
  }

  /** Marks activity: the entry becomes the most recently active. */
  touch(entry: T, nowUs: number): void {
    entry.lastUs = nowUs;
    if (this.newestEntry === entry) return;
    this.unlink(entry);
    this.linkNewest(entry);
  }

  remove(entry: T): void {
    if (this.byKey.get(entry.key) !== entry) return;
    this.byKey.delete(entry.key);
    this.unlink(entry);
  }

  private linkNewest(entry: T): void {
    entry.older = this.newestEntry;
    entry.newer = undefined;
    if (this.newestEntry !== undefined) this.newestEntry.newer = entry;
    else this.oldestEntry = entry;
    this.newestEntry = entry;
  }

  private unlink(entry: T): void {
    if (entry.older !== undefined) entry.older.newer = entry.newer;
    else this.oldestEntry = entry.newer;
    if (entry.newer !== undefined) entry.newer.older = entry.older;
    else this.newestEntry = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }
}
