// Min-heap of (deadline, item): the next state to expire as event time advances, found in
// O(log n) instead of scanning every key. Stale entries are the caller's to recognise and skip.

export class DeadlineHeap<T> {
  private deadlines: number[] = [];
  private items: T[] = [];

  get size(): number {
    return this.deadlines.length;
  }

  /** Earliest deadline, Infinity when empty. */
  peek(): number {
    return this.deadlines[0] ?? Infinity;
  }

  push(deadline: number, item: T): void {
    let i = this.deadlines.length;
    this.deadlines.push(deadline);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.deadlines[parent]! <= deadline) break;
      this.move(parent, i);
      i = parent;
    }
    this.deadlines[i] = deadline;
    this.items[i] = item;
  }

  /** Removes and returns the item with the earliest deadline. */
  pop(): T | undefined {
    const top = this.items[0];
    const lastDeadline = this.deadlines.pop();
    const lastItem = this.items.pop();
    if (lastDeadline === undefined || lastItem === undefined || this.deadlines.length === 0) return top;
    const n = this.deadlines.length;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.deadlines[child + 1]! < this.deadlines[child]!) child++;
      if (this.deadlines[child]! >= lastDeadline) break;
      this.move(child, i);
      i = child;
    }
    this.deadlines[i] = lastDeadline;
    this.items[i] = lastItem;
    return top;
  }

  /** Replaces the contents (used to shed stale entries in bulk). */
  reset(entries: Iterable<[number, T]>): void {
    this.deadlines = [];
    this.items = [];
    for (const [deadline, item] of entries) this.push(deadline, item);
  }

  private move(from: number, to: number): void {
    this.deadlines[to] = this.deadlines[from]!;
    this.items[to] = this.items[from]!;
  }
}
