// Options of the Elasticsearch sink: where the cluster is, how to authenticate, how bulk writes
// are sized and retried, and how long each data stream keeps its documents.
import { z } from 'zod';

const retention = (what: string, days: string) =>
  z
    .string()
    .regex(/^\d+[dhm]$/, 'expected an Elasticsearch time unit such as 90d, 12h or 30m')
    .default(days)
    .describe(`How long ${what} are kept before ILM deletes them (Elasticsearch time units: 90d, 12h).`);

export const elasticConfigSchema = z
  .object({
    node: z.url().default('http://127.0.0.1:9200').describe('URL of an Elasticsearch node (8.x or 9.x); `--es URL` sets it.'),
    apiKey: z
      .string()
      .optional()
      .describe('API key (the base64 `encoded` value) sent as `Authorization: ApiKey`; prefer SIDETAP_INDEXER__ELASTICSEARCH__API_KEY over writing it in a file.'),
    username: z.string().optional().describe('User name for basic authentication, when no API key is given.'),
    password: z.string().optional().describe('Password for basic authentication; prefer SIDETAP_INDEXER__ELASTICSEARCH__PASSWORD.'),
    caFile: z.string().optional().describe('PEM file of the CA that signed the cluster\'s certificate (self-signed clusters).'),
    namespace: z
      .string()
      .regex(/^[a-z0-9_]{1,100}$/, 'expected lower-case letters, digits and underscores (an Elasticsearch data stream namespace)')
      .default('default')
      .describe('Data stream namespace: documents go to logs-sidetap.<kind>-<namespace>, so several deployments can share a cluster.'),
    flushBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .default(5 * 1024 * 1024)
      .describe('Bytes of documents per bulk request: a batch larger than this is sent as several requests.'),
    flushIntervalMs: z
      .number()
      .int()
      .min(10)
      .default(1000)
      .describe('Longest a partly filled bulk request waits for more documents before it is sent.'),
    concurrency: z.number().int().min(1).max(16).default(2).describe('Bulk requests in flight at once.'),
    startupTimeoutMs: z
      .number()
      .int()
      .min(0)
      .default(30_000)
      .describe('How long a starting indexer waits for Elasticsearch to answer before it gives up with an error (a cluster starting alongside sidetap).'),
    requestTimeoutMs: z.number().int().min(1000).default(30_000).describe('Longest one request to Elasticsearch may take before it counts as failed and is retried.'),
    retryInitialMs: z.number().int().min(1).default(500).describe('First wait before retrying documents Elasticsearch could not take now (429, 5xx, no connection); doubles each time.'),
    retryMaxMs: z.number().int().min(1).default(30_000).describe('Longest wait between retries. While Elasticsearch is down the indexer keeps retrying and the pipeline upstream waits (nothing is dropped).'),
    deadLetterFile: z
      .string()
      .optional()
      .describe('NDJSON file for documents Elasticsearch rejected for good (a mapping error), with the reason; default <store>/dead-letter/elasticsearch.ndjson.'),
    retention: z
      .object({
        findings: retention('findings', '365d'),
        sessions: retention('session summaries', '90d'),
        events: retention('events', '14d'),
      })
      .strict()
      .prefault({})
      .describe('Age at which each data stream\'s backing indices are deleted.'),
    rollover: z
      .object({
        maxAge: z.string().regex(/^\d+[dhm]$/).default('1d').describe('Roll the write index over after this age.'),
        maxPrimaryShardSize: z.string().regex(/^\d+(gb|mb)$/).default('50gb').describe('Roll the write index over when a primary shard reaches this size.'),
      })
      .strict()
      .prefault({})
      .describe('When ILM starts a new backing index.'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.username === undefined) !== (c.password === undefined)) {
      ctx.addIssue({ code: 'custom', path: [c.username === undefined ? 'username' : 'password'], message: 'username and password go together' });
    }
  })
  .describe('Elasticsearch: the cluster findings, session summaries and (optionally) events are written to.');

export type ElasticConfig = z.output<typeof elasticConfigSchema>;
