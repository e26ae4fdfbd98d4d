// sidetap's whole configuration: one section per stage, each schema owned by its package, put
// together here. Loaded from one YAML or JSON file (`--config`) with SIDETAP_* overrides.
import { z } from 'zod';
import { actorConfigSchema, ConfigError, loadConfig, loggingConfigSchema } from '@sidetap/core';
import { captureConfigSchema } from '@sidetap/capture';
import { kafkaConfigSchema, memoryBusConfigSchema, stateStoreConfigSchema } from '@sidetap/bus';
import { sessionizerConfigSchema } from '@sidetap/sessionizer';
import { anomalyConfigSchema } from '@sidetap/anomaly';
import { indexerConfigSchema } from '@sidetap/indexer';
import { responderConfigSchema } from '@sidetap/responder';
import { UsageError } from './usageError';

export const pipelineConfigSchema = z
  .object({
    watermarkDelayMs: z
      .number()
      .int()
      .min(0)
      .default(60_000)
      .describe(
        'How far (event time) capture holds its watermark behind the newest request it has seen: an exchange that completes later than this after its request started arrives late for windows already closed.',
      ),
    publishBatch: z.number().int().min(1).default(500).describe('Exchanges capture publishes at once.'),
    collectBacklog: z
      .number()
      .int()
      .min(2)
      .default(10_000)
      .describe(
        '`sidetap collect`: exchanges taken from its sources and not yet on the bus, at most. An interface or tunnel cannot be made to wait, so past this bound their exchanges are dropped (capture_exchanges_dropped_total{reason="pipeline_backlog"}); the mirror listener answers 429 with Retry-After from half of it, so gateways retry instead.',
      ),
  })
  .strict()
  .describe('How records and event time move between stages.');

export const sidetapConfigSchema = z
  .object({
    logging: loggingConfigSchema.prefault({}),
    capture: captureConfigSchema.prefault({}),
    actor: actorConfigSchema
      .prefault({})
      .describe('Who made a request: the credentials capture names sidetap.actor_key by, and how bearer JWTs are verified.'),
    pipeline: pipelineConfigSchema.prefault({}),
    bus: z
      .object({ memory: memoryBusConfigSchema.prefault({}), kafka: kafkaConfigSchema.prefault({}) })
      .strict()
      .prefault({})
      .describe('Transports: the in-process bus (embedded) and Kafka (distributed).'),
    state: stateStoreConfigSchema
      .prefault({ kind: 'memory' })
      .describe('Where stages keep per-actor and global state: memory (one process) or Redis (shared by every member; `sidetap run --redis URL`).'),
    sessionizer: sessionizerConfigSchema.prefault({}),
    anomaly: anomalyConfigSchema.prefault({}),
    indexer: indexerConfigSchema.prefault({}),
    responder: responderConfigSchema.prefault({}),
  })
  .strict();

export type SidetapConfig = z.output<typeof sidetapConfigSchema>;
export type PipelineConfig = z.output<typeof pipelineConfigSchema>;

/** `--spec openapi.yaml` sets the sessionizer's endpoint spec, checked at start-up like the config. */
export function withSpec(config: SidetapConfig, spec: string | undefined): SidetapConfig {
  if (spec === undefined) return config;
  const endpoints = { ...config.sessionizer.endpoints, specFile: spec };
  return { ...config, sessionizer: { ...config.sessionizer, endpoints } };
}

/** `--learn 24h`: the anomaly engine's learning period (units ms, s, m, h, d; a bare number is hours). */
export function withLearn(config: SidetapConfig, learn: string | undefined): SidetapConfig {
  if (learn === undefined) return config;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(learn.trim());
  if (m === null) throw new UsageError(`--learn: expected a duration such as 24h, 90m or 2d, got "${learn}".`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'h') as 'ms' | 's' | 'm' | 'h' | 'd'];
  return { ...config, anomaly: { ...config.anomaly, learnMs: Math.round(Number(m[1]) * unit) } };
}

/** The configuration for a command; a bad file or variable is a usage error (exit 2). */
export function loadSidetapConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): SidetapConfig {
  try {
    return loadConfig(sidetapConfigSchema, { file, env });
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}
