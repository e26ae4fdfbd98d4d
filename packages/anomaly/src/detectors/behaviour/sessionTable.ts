// Open sessions by id, least recently active first, with a cap: past it the least recently
// active session is dropped (the caller counts it). Recency order also lets the idle sessions be
// closed by walking from the oldest end and stopping at the first one still active.

interface Node<V> {
  key: string;
  value: V;
  newer: Node<V> | undefined;
  older: Node<V> | undefined;
}

export class SessionTable<V> {
  private readonly nodes = new Map<string, Node<V>>();
  private newest: Node<V> | undefined;
  private oldest: Node<V> | undefined;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.nodes.size;
  }

  /** The value, made the most recently active. */
  touch(key: string): V | undefined {
    const node = this.nodes.get(key);
    if (node === undefined) return undefined;
    if (node !== this.newest) {
      this.unlink(node);
      this.pushNewest(node);
    }
    return node.value;
  }

  /** Adds a new entry as the most recent; returns the entry evicted to make room, if any. */
  insert(key: string, value: V): V | undefined {
    const node: Node<V> = { key, value, newer: undefined, older: undefined };
    this.nodes.set(key, node);
    this.pushNewest(node);
    if (this.nodes.size <= this.capacity) return undefined;
    const evicted = this.oldest!;
    this.unlink(evicted);
    this.nodes.delete(evicted.key);
    return evicted.value;
  }

  /** The least recently active entry. */
  peekOldest(): V | undefined {
    return this.oldest?.value;
  }

  delete(key: string): void {
    const node = this.nodes.get(key);
    if (node === undefined) return;
    this.unlink(node);
    this.nodes.delete(key);
  }

  private unlink(node: Node<V>): void {
    if (node.newer === undefined) this.newest = node.older;
    else node.newer.older = node.older;
    if (node.older === undefined) this.oldest = node.newer;
    else node.older.newer = node.newer;
    node.newer = undefined;
    node.older = undefined;
  }

  private pushNewest(node: Node<V>): void {
    node.older = this.newest;
    node.newer = undefined;
    if (this.newest === undefined) this.oldest = node;
    else this.newest.newer = node;
    this.newest = node;
  }
}
