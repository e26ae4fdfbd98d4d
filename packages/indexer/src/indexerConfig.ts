// Options of the indexer stage.
import { z } from 'zod';

export const indexerConfigSchema = z
  .object({
    sink: z.enum(['local']).default('local').describe('Where records go: the local store directory (Elasticsearch joins with the indexer issue).'),
    events: z
      .boolean()
      .default(true)
      .describe('Also keep every event (the per-actor timelines and forensics), not only findings.'),
  })
  .strict()
  .describe('Indexer: findings and events into a store.');

export type IndexerConfig = z.output<typeof indexerConfigSchema>;
