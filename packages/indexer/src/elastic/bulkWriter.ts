// Writes records into their data streams with the client's bulk helper. Each document is a
// `create` with its deterministic id, so a retry or a second replay of the same capture meets
// 409 and leaves one copy. Documents Elasticsearch cannot take now (429, 5xx, no connection) are
// retried with backoff for as long as it takes: `write` does not return meanwhile, so the runner
// does not commit the batch and the bounded bus upstream stops filling: the pipeline pauses
// instead of dropping or buffering without limit. Documents rejected for good go to the dead-letter file.
import type { Client } from '@elastic/elasticsearch';
import type { Counters, Logger } from '@sidetap/core';
import type { ElasticConfig } from './elasticConfig';
import { dataStreamName } from './elasticNames';
import type { ElasticKind } from './elasticNames';
import { DeadLetterFile } from './deadLetterFile';
import type { DeadLetter } from './deadLetterFile';

interface IdentifiedRecord {
  event: { id: string };
}

/** Thrown by `write` when `close` interrupts it: the batch was not (all) written and must not be committed. */
export class ElasticUnavailableError extends Error {}

export type BulkWriterOptions = Pick<ElasticConfig, 'namespace' | 'flushBytes' | 'flushIntervalMs' | 'concurrency' | 'retryInitialMs' | 'retryMaxMs'>;

export interface WriteResult {
  written: number;
  duplicates: number;
  deadLettered: number;
}

export class ElasticBulkWriter {
  private readonly stopping = new AbortController();
  private outageSince: number | undefined;

  constructor(
    private readonly client: Client,
    private readonly options: BulkWriterOptions,
    private readonly deadLetters: DeadLetterFile,
    private readonly counters: Counters,
    private readonly logger: Logger,
  ) {}

  async write(kind: ElasticKind, records: readonly IdentifiedRecord[]): Promise<WriteResult> {
    const result: WriteResult = { written: 0, duplicates: 0, deadLettered: 0 };
    if (records.length === 0) return result;
    const index = dataStreamName(kind, this.options.namespace);
    let pending: readonly IdentifiedRecord[] = records;
    for (let attempt = 0; ; attempt++) {
      const round = await this.tryOnce(index, pending);
      result.written += round.written;
      result.duplicates += round.duplicates;
      result.deadLettered += round.dead.length;
      await this.deadLetters.append(round.dead);
      this.counters.inc('indexer_es_documents_written_total', round.written);
      this.counters.inc('indexer_es_duplicates_total', round.duplicates);
      this.counters.inc('indexer_es_dead_lettered_total', round.dead.length);
      if (round.dead.length > 0) this.logger.warn({ index, documents: round.dead.length, file: this.deadLetters.path, first: round.dead[0]!.error }, 'Elasticsearch rejected documents for good; kept in the dead-letter file');
      if (round.retry.length === 0) {
        if (this.outageSince !== undefined) {
          this.logger.info({ seconds: Math.round((Date.now() - this.outageSince) / 1000) }, 'Elasticsearch takes documents again');
          this.outageSince = undefined;
        }
        return result;
      }
      pending = round.retry;
      this.counters.inc('indexer_es_retries_total', pending.length);
      if (this.outageSince === undefined) {
        this.outageSince = Date.now();
        this.logger.warn({ index, documents: pending.length, reason: round.failure }, 'Elasticsearch cannot take documents now; retrying with backoff while the pipeline waits');
      }
      await this.backoff(attempt, index, pending.length);
    }
  }

  /** Interrupts a write that is waiting for Elasticsearch to come back; it throws ElasticUnavailableError. */
  close(): void {
    this.stopping.abort();
  }

  private async tryOnce(index: string, records: readonly IdentifiedRecord[]): Promise<{ written: number; duplicates: number; dead: DeadLetter[]; retry: IdentifiedRecord[]; failure?: string }> {
    const settled = new Set<string>();
    const retry: IdentifiedRecord[] = [];
    const dead: DeadLetter[] = [];
    let written = 0;
    let duplicates = 0;
    let failure: string | undefined;
    const byId = new Map(records.map((r) => [r.event.id, r]));
    try {
      await this.client.helpers.bulk<IdentifiedRecord>({
        datasource: records as IdentifiedRecord[],
        onDocument: (doc) => ({ create: { _index: index, _id: doc.event.id } }),
        flushBytes: this.options.flushBytes,
        flushInterval: this.options.flushIntervalMs,
        concurrency: this.options.concurrency,
        // 429s are retried by this class with its own backoff, not the helper's fixed wait.
        retries: 0,
        refreshOnCompletion: false,
        onSuccess: ({ result }) => {
          const id = result.create?._id;
          if (id !== undefined && id !== null) settled.add(id);
          written++;
        },
        onDrop: (drop) => {
          const id = drop.document.event.id;
          settled.add(id);
          const status = drop.status;
          if (status === 409) duplicates++;
          else if (status === 429 || status >= 500) {
            retry.push(drop.document);
            failure ??= `${status} ${drop.error?.type ?? ''}`.trim();
          } else {
            dead.push({
              index,
              id,
              status,
              error: { type: drop.error?.type ?? 'unknown', reason: drop.error?.reason ?? `status ${status}` },
              document: drop.document,
            });
          }
        },
      });
    } catch (err) {
      // The whole request failed (no connection, a timeout, a 5xx for the bulk itself): whatever
      // the cluster did not answer for is sent again; `create` makes the repeat harmless.
      this.counters.inc('indexer_es_request_failures_total');
      failure = (err as Error).message;
      for (const [id, r] of byId) if (!settled.has(id)) retry.push(r);
    }
    return failure === undefined ? { written, duplicates, dead, retry } : { written, duplicates, dead, retry, failure };
  }

  private async backoff(attempt: number, index: string, documents: number): Promise<void> {
    const ceiling = Math.min(this.options.retryMaxMs, this.options.retryInitialMs * 2 ** Math.min(attempt, 30));
    // Full jitter: indexers that lost the cluster together do not all come back at the same instant.
    const ms = Math.max(this.options.retryInitialMs, Math.random() * ceiling);
    const signal = this.stopping.signal;
    if (signal.aborted) throw new ElasticUnavailableError(`Elasticsearch is unavailable; stopped with ${documents} documents for ${index} not written`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
    if (signal.aborted) throw new ElasticUnavailableError(`Elasticsearch is unavailable; stopped with ${documents} documents for ${index} not written`);
  }
}
