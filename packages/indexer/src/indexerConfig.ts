// Options of the indexer stage.
import { z } from 'zod';
import { elasticConfigSchema } from './elastic/elasticConfig';
import { storeConfigSchema } from './store/storeConfig';

export const INDEXER_SINKS = ['local', 'elasticsearch', 'both'] as const;

export const indexerConfigSchema = z
  .object({
    sink: z
      .enum(INDEXER_SINKS)
      .default('local')
      .describe('Where records go: the local store directory (`--store`), Elasticsearch, or both (`--es URL` turns local into both).'),
    events: z
      .boolean()
      .default(true)
      .describe('Also keep every event (the per-actor timelines and forensics), not only findings and session summaries.'),
    store: storeConfigSchema.prefault({}),
    elasticsearch: elasticConfigSchema.prefault({}),
  })
  .strict()
  .describe('Indexer: findings, session summaries and events into the local store and/or Elasticsearch.');

export type IndexerConfig = z.output<typeof indexerConfigSchema>;
export type IndexerSink = (typeof INDEXER_SINKS)[number];
