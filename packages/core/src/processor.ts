// What every pipeline stage is to the runner that drives it: records in, records out, and event
// time (watermarks) to close windows on. A stage never knows its transport or its neighbours.
import type { Counters } from './counters';
import type { Logger } from './logger';
import type { ModelStore } from './modelStore';
import type { StateStore } from './stateStore';

export type MaybePromise<T> = T | Promise<T>;

export interface Processor<In, Out> {
  /** Handles one batch; the records it returns are published before the batch is committed. */
  process(records: readonly In[]): MaybePromise<readonly Out[]>;
  /** Event time has reached `watermark` (capture ms): emit what windows ending before it hold. */
  flush(watermark: number): MaybePromise<readonly Out[]>;
  /** Shutting down: emit what is still held, release resources. */
  close(): MaybePromise<readonly Out[]>;
  /**
   * Shutting down while `process` may be waiting on an outside system that is away (the indexer
   * retrying Elasticsearch): give up waiting, so that batch fails uncommitted and is read again
   * after a restart. Stages that never wait on the outside need not implement it.
   */
  interrupt?(): void;
}

/** What a stage factory is given besides its own config. */
export interface StageContext {
  logger: Logger;
  /** The stage's counters, served on /metrics and printed in summaries. */
  counters: Counters;
  /** Directory for a stage's local files (the embedded store); `--store`. */
  storeDir: string;
  /** Per-actor and global state: in memory (embedded) or in Redis shared by every member (distributed). */
  state: StateStore;
  /** Learned models and analyst settings: a directory (embedded) or Redis (distributed). */
  models: ModelStore;
}
