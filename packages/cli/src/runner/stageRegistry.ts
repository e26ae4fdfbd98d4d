// The stages the runners can run, listed explicitly: which topics each reads and writes, and the
// factory that makes its processor from its config section.
import { Counters } from '@sidetap/core';
import type { Event, Finding, HttpExchange, Logger, MaybePromise, ModelStore, Processor, SessionSummary, StageContext, StateStore } from '@sidetap/core';
import { createSessionizerStage } from '@sidetap/sessionizer';
import { createAnomalyEngine, readAnomalyModels } from '@sidetap/anomaly';
import { createIndexer } from '@sidetap/indexer';
import type { IndexerDeps } from '@sidetap/indexer';
import { createResponder } from '@sidetap/responder';
import type { SidetapConfig } from '../sidetapConfig';
import { withSpecMethods } from '../specMethods';
import { UsageError } from '../usageError';
import { TOPICS } from './topics';
import type { PipelineTopic } from './topics';

export interface StageSpec<In, Out> {
  name: string;
  inputs: readonly PipelineTopic<In>[];
  outputs: readonly PipelineTopic<Out>[];
  /** Which output a record goes to, when there are several. */
  route?: (record: Out) => PipelineTopic<Out>;
  create(config: SidetapConfig, ctx: StageContext, deps: StageDeps): MaybePromise<Processor<In, Out>>;
}

/** What a test may swap under a stage without changing its code path. */
export interface StageDeps {
  /** The Elasticsearch client's HTTP layer (Elastic's own mock in tests). */
  elasticConnection?: IndexerDeps['elasticConnection'];
}

// Each entry is checked against StageSpec with its own record types, then widened for the list.
const sessionizer: StageSpec<HttpExchange, Event | SessionSummary> = {
  name: 'sessionizer',
  inputs: [TOPICS.exchanges],
  outputs: [TOPICS.events, TOPICS.sessions] as readonly PipelineTopic<Event | SessionSummary>[],
  route: (r) => (r.event.dataset === 'sidetap.session' ? TOPICS.sessions : TOPICS.events) as PipelineTopic<Event | SessionSummary>,
  create: (config, ctx) => createSessionizerStage(config.sessionizer, ctx),
};
const anomaly: StageSpec<Event, Finding> = {
  name: 'anomaly',
  inputs: [TOPICS.events],
  outputs: [TOPICS.findings],
  create: async (config, ctx) => createAnomalyEngine(withSpecMethods(config).anomaly, ctx, config.anomaly.useStoredModels ? await readAnomalyModels(ctx.models) : undefined),
};
const indexer: StageSpec<Event | Finding | SessionSummary, never> = {
  name: 'indexer',
  inputs: [TOPICS.findings, TOPICS.events, TOPICS.sessions] as readonly PipelineTopic<Event | Finding | SessionSummary>[],
  outputs: [],
  create: (config, ctx, deps) => createIndexer(config.indexer, ctx, deps),
};
const responder: StageSpec<Finding, never> = {
  name: 'responder',
  inputs: [TOPICS.findings],
  outputs: [],
  create: (config, ctx) => createResponder(config.responder, ctx),
};

/** In pipeline order: capture feeds the first. */
export const STAGES = [sessionizer, anomaly, indexer, responder] as unknown as readonly StageSpec<unknown, unknown>[];

export const STAGE_NAMES = ['capture', ...STAGES.map((s) => s.name)] as const;

export function stageSpec(name: string): StageSpec<unknown, unknown> | undefined {
  return STAGES.find((s) => s.name === name);
}

/** Inputs a stage actually reads under this config (the indexer skips events unless it keeps them). */
export function stageInputs(spec: StageSpec<unknown, unknown>, config: SidetapConfig): readonly PipelineTopic<unknown>[] {
  if (spec.name === 'indexer' && !config.indexer.events) return spec.inputs.filter((t) => t.name !== TOPICS.events.name);
  return spec.inputs;
}

/**
 * Makes a stage's processor. Factories only fail on what they were configured with (a spec or
 * geo file that cannot be read, a damaged model document), so a failure is a start-up error with exit status 2.
 */
export async function createStage(spec: StageSpec<unknown, unknown>, config: SidetapConfig, ctx: StageContext, deps: StageDeps = {}): Promise<Processor<unknown, unknown>> {
  try {
    return await spec.create(config, ctx, deps);
  } catch (err) {
    throw new UsageError(`sidetap ${spec.name}: ${(err as Error).message.replace(/\.$/, '')}.`);
  }
}

export function stageContext(logger: Logger, storeDir: string, state: StateStore, models: ModelStore): StageContext {
  return { logger, counters: new Counters(), storeDir, state, models };
}
