// Where learned models and analyst settings are kept, behind one interface: a directory in the
// embedded mode, Redis in the distributed one, so every engine instance starts from the same
// models and `sidetap models ...` changes them for all. Documents are named JSON texts; each
// document's owner checks its own format.

export interface ModelStore {
  readonly kind: 'directory' | 'redis';
  /** The named document's text, or undefined when there is none. */
  get(name: string): Promise<string | undefined>;
  /** Replaces the named document whole: a reader sees the old text or the new one, never half. */
  put(name: string, text: string): Promise<void>;
  /** Where the named document lives (a file path or a Redis key), for messages. */
  where(name: string): string;
  close(): Promise<void>;
}
