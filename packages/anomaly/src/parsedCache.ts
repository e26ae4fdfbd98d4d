// Parsed state-store values, kept with the exact text they were parsed from or written as. The
// store hands back the text it was given, so when this process reads a key it wrote last, the value
// is found here instead of being parsed again; any other text (expired, or written by another
// engine instance sharing the store over Redis) is parsed. Bounded: when full it starts over,
// which only costs parsing again.

interface Held<T> {
  text: string;
  value: T;
}

export class ParsedCache<T> {
  private readonly held = new Map<string, Held<T>>();

  constructor(
    private readonly parse: (text: string) => T,
    private readonly maxEntries = 16_384,
  ) {}

  /** What `text`, read at `key`, parses to: to read, never to change (it stays cached). */
  peek(key: string, text: string): T {
    const held = this.held.get(key);
    return held !== undefined && held.text === text ? held.value : this.parse(text);
  }

  /**
   * What `text`, read at `key`, parses to, handed over to be changed: it leaves the cache until
   * `keep` puts it back with the text written, so a change that is never written (a failed write,
   * an error on the way) is never read back as if it were stored.
   */
  take(key: string, text: string): T {
    const held = this.held.get(key);
    if (held === undefined || held.text !== text) return this.parse(text);
    this.held.delete(key);
    return held.value;
  }

  /**
   * `value` is what `text` parses to, and `text` is about to be written at `key`. Kept before the
   * write: should the write fail, the store's older text no longer matches and is parsed.
   */
  keep(key: string, text: string, value: T): void {
    const held = this.held.get(key);
    if (held !== undefined) {
      held.text = text;
      held.value = value;
      return;
    }
    if (this.held.size >= this.maxEntries) this.held.clear();
    this.held.set(key, { text, value });
  }
}
