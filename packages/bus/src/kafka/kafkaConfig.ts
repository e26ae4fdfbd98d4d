// Settings of the Kafka transport (distributed mode). Acks are always "all": a finding or an
// exchange acknowledged by one broker only could vanish with it.
import { z } from 'zod';

const topicSettings = (partitions: number, retentionHours: number, what: string) =>
  z
    .object({
      partitions: z.number().int().min(1).default(partitions).describe(`Partitions of the ${what} topic (the most consumers that can share it).`),
      retentionMs: z
        .number()
        .int()
        .min(60_000)
        .default(retentionHours * 3_600_000)
        .describe(`How long the brokers keep ${what} (retention.ms).`),
      replicationFactor: z
        .number()
        .int()
        .min(-1)
        .default(-1)
        .describe('Copies of each partition; -1 takes the broker default (default.replication.factor).'),
    })
    .strict()
    .prefault({});

export const kafkaConfigSchema = z
  .object({
    brokers: z.array(z.string().min(1)).default([]).describe('Bootstrap brokers, host:port (the --brokers flag sets this).'),
    clientId: z.string().min(1).default('sidetap').describe('Client id shown in broker logs and quotas.'),
    compression: z.enum(['none', 'gzip']).default('gzip').describe('Compression of produced batches (gzip needs no native codec).'),
    ssl: z.boolean().default(false).describe('Connect with TLS.'),
    sasl: z
      .object({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).describe('SASL mechanism.'),
        username: z.string().describe('SASL user.'),
        password: z.string().describe('SASL password (prefer the SIDETAP_BUS__KAFKA__SASL__PASSWORD variable to a file).'),
      })
      .strict()
      .optional()
      .describe('SASL authentication; none when absent.'),
    sessionTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .default(30_000)
      .describe('Consumer group session timeout: how long a silent member keeps its partitions.'),
    heartbeatIntervalMs: z.number().int().min(100).default(3000).describe('Consumer heartbeat interval.'),
    fetchMaxWaitMs: z
      .number()
      .int()
      .min(10)
      .default(5000)
      .describe('Longest a fetch waits at the broker for new records; lower means less latency for a consumer that keeps up.'),
    maxBatch: z.number().int().min(1).default(512).describe('Most records handed to a stage at once (a fetched batch is cut into these).'),
    retryInitialMs: z.number().int().min(10).default(300).describe('First wait before a failed request is retried; doubles each time.'),
    retryMaxMs: z.number().int().min(100).default(30_000).describe('Longest wait between retries while a broker is unreachable.'),
    topics: z
      .object({
        exchanges: topicSettings(12, 24, 'exchanges'),
        events: topicSettings(12, 7 * 24, 'events'),
        sessions: topicSettings(12, 7 * 24, 'session summaries'),
        findings: topicSettings(3, 30 * 24, 'findings'),
      })
      .strict()
      .prefault({})
      .describe('Topic layout that `sidetap kafka setup` creates.'),
  })
  .strict()
  .describe('Kafka transport of the distributed mode.');

export type KafkaConfig = z.infer<typeof kafkaConfigSchema>;
