// Parsed state-store values, kept with the exact text they were parsed from or written as. The
// store hands back the text it was given, so when this process reads a key again, or one it wrote
// last, the value is found here instead of being parsed again; any other text (expired, or written by another
// engine instance sharing the store over Redis) is parsed. Bounded: when full it starts over,
// which only costs parsing again.
import type { SetOptions, StateStore } from '@sidetap/core';

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

  /** What `text`, read at `key`, parses to: to read, never to change (it is kept for the next read). */
  peek(key: string, text: string): T {
    const held = this.held.get(key);
    if (held !== undefined && held.text === text) return held.value;
    const value = this.parse(text);
    this.keep(key, text, value);
    return value;
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
   * Writes `text` (which parses to `value`) at `key`, keeping `value` first: should the write fail,
   * the store's older text no longer matches and is parsed.
   */
  write(state: StateStore, key: string, text: string, value: T, options: SetOptions): Promise<void> {
    this.keep(key, text, value);
    return state.set(key, text, options);
  }

  /** `value` is what `text` at `key` parses to (as read, and not changed since; or about to be written). */
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
