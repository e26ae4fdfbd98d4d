// The indexer's Elasticsearch sink: one client, the bulk writer and its dead-letter file.
import { join } from 'node:path';
import type { ClientOptions } from '@elastic/elasticsearch';
import type { Counters, Logger } from '@sidetap/core';
import { ElasticBulkWriter } from './bulkWriter';
import type { WriteResult } from './bulkWriter';
import { createElasticClient } from './elasticClient';
import type { ElasticConfig } from './elasticConfig';
import { ELASTIC_KINDS, templateNames } from './elasticNames';
import type { ElasticKind } from './elasticNames';
import { DeadLetterFile } from './deadLetterFile';

export interface ElasticSinkDeps {
  storeDir: string;
  counters: Counters;
  logger: Logger;
  /** Replaces the HTTP layer only (tests pass @elastic/elasticsearch-mock's connection). */
  connection?: ClientOptions['Connection'];
}

export interface ElasticSink {
  /**
   * Resolves once the cluster answers and sidetap's index templates are installed; throws one
   * sentence otherwise. Without the templates the built-in `logs-*-*` template would catch the
   * documents with guessed mappings, so writing is refused rather than silently mis-mapped.
   */
  ready(timeoutMs: number): Promise<void>;
  write(kind: ElasticKind, records: readonly { event: { id: string } }[]): Promise<WriteResult>;
  /** Stops waiting for an unavailable cluster (a pending write throws). */
  interrupt(): void;
  close(): Promise<void>;
}

/** The cluster cannot be written to as set up; the message is one sentence for the user. */
export class ElasticNotReadyError extends Error {}

export function defaultDeadLetterFile(storeDir: string): string {
  return join(storeDir, 'dead-letter', 'elasticsearch.ndjson');
}

export function createElasticSink(config: ElasticConfig, deps: ElasticSinkDeps): ElasticSink {
  const client = createElasticClient(config, deps.connection);
  const deadLetters = new DeadLetterFile(config.deadLetterFile ?? defaultDeadLetterFile(deps.storeDir));
  const writer = new ElasticBulkWriter(client, config, deadLetters, deps.counters, deps.logger);
  return {
    ready: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
        try {
          for (const kind of ELASTIC_KINDS) {
            const name = templateNames(kind).index;
            if (!(await client.indices.existsIndexTemplate({ name }))) {
              throw new ElasticNotReadyError(`${config.node} has no index template ${name}; run \`sidetap es setup --node ${config.node}\` first`);
            }
          }
          return;
        } catch (err) {
          if (err instanceof ElasticNotReadyError) throw err;
          if (Date.now() + wait > deadline) {
            const e = err as { meta?: { statusCode?: number }; message?: string };
            const why = e.meta?.statusCode === 401 || e.meta?.statusCode === 403 ? `refused the credentials (${e.meta.statusCode})` : `did not answer (${(e.message ?? String(err)).slice(0, 120)})`;
            throw new ElasticNotReadyError(`Elasticsearch at ${config.node} ${why} within ${Math.round(timeoutMs / 1000)} s`);
          }
          await new Promise((r) => setTimeout(r, wait));
        }
      }
    },
    write: (kind, records) => writer.write(kind, records),
    interrupt: () => writer.close(),
    close: async () => {
      writer.close();
      await client.close();
    },
  };
}
