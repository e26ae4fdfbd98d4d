// The embedded mode's store under --store: per record kind, append-only NDJSON segments with an
// index beside each, and retention by event-time age and bytes (docs/store.md). An append resolves
// only once its batch is written (and synced, by default), and the runner commits a batch only
// after that, so a crash can repeat records (their ids tell them apart) but never lose them, and
// it never touches what was written before: the next writer starts a new segment.
import { Counters } from '@sidetap/core';
import type { Logger } from '@sidetap/core';
import { KindLog } from './store/kindLog';
import { storeConfigSchema } from './store/storeConfig';
import type { StoreConfig, StoreConfigInput } from './store/storeConfig';
import type { StoreKind } from './store/storeKinds';

export interface LocalStoreDeps {
  /** Where retention and skipped lines are counted (`indexer_store_*`); a private set when absent. */
  counters?: Counters | undefined;
  /** Where retention says what it removed. */
  logger?: Logger | undefined;
}

export class LocalStore {
  readonly config: StoreConfig;
  readonly counters: Counters;
  private readonly logs = new Map<StoreKind, KindLog>();
  private closed = false;

  constructor(
    private readonly dir: string,
    config: StoreConfigInput = {},
    private readonly deps: LocalStoreDeps = {},
  ) {
    this.config = storeConfigSchema.parse(config);
    this.counters = deps.counters ?? new Counters();
  }

  async append(kind: StoreKind, records: readonly unknown[]): Promise<void> {
    if (this.closed) throw new Error(`LocalStore ${this.dir}: append after close`);
    if (records.length === 0) return;
    let log = this.logs.get(kind);
    if (log === undefined) this.logs.set(kind, (log = new KindLog(this.dir, kind, this.config, this.counters, this.deps.logger)));
    await log.append(records);
  }

  /** Waits for appends in flight; no file stays open between appends, so there is nothing else to release. */
  async close(): Promise<void> {
    this.closed = true;
    for (const log of this.logs.values()) await log.drain();
  }
}

/** @deprecated The flat files of the layout before segments, still read; read through readStoreRecords instead. */
export { LEGACY_STORE_FILES as LOCAL_STORE_FILES } from './store/storeKinds';
