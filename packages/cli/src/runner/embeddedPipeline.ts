// The embedded mode (DESIGN.md §1): capture → sessionizer → anomaly → indexer and responder in
// one process over the in-memory bus. Runs the captures to their end, lets every stage flush
// on the end-of-stream watermark, and returns what each stage counted.
import { END_OF_STREAM, MemoryBus } from '@sidetap/bus';
import { Counters, stageLogger } from '@sidetap/core';
import type { Finding, HttpExchange, Logger, ModelStore, Processor, StateStore } from '@sidetap/core';
import { runCapture } from '../captureRun';
import type { CaptureRunResult } from '../captureRun';
import type { SidetapConfig } from '../sidetapConfig';
import { CapturePublisher } from './capturePublisher';
import type { CaptureStart } from './captureSink';
import { openStateStore } from './openStateStore';
import { createStage, STAGES, stageContext, stageInputs } from './stageRegistry';
import { runStage } from './stageRunner';
import { TOPICS } from './topics';
import type { StageHandle } from './stageRunner';
import type { StageDeps } from './stageRegistry';

export interface EmbeddedRunOptions {
  config: SidetapConfig;
  storeDir: string;
  /** Where trained models are read from (the command opens and closes it). */
  models: ModelStore;
  logger: Logger;
  stderr: { isTTY?: boolean; write(s: string): boolean };
  /** Sees every exchange as capture emits it (the replay summary tallies them). */
  onExchange?: (exchange: HttpExchange) => void;
  /** Sees every finding the anomaly stage emits. */
  onFinding?: (finding: Finding) => void;
  /** Swapped parts under the stages (tests: Elastic's mock connection). */
  stageDeps?: StageDeps;
}

export interface EmbeddedRunResult {
  capture: CaptureRunResult;
  /** Counters of the bus, the runner and every stage, by name. */
  counters: Record<string, number>;
  /** Each stage's processor, closed, by stage name (`models train` asks the anomaly engine for its models). */
  processors: Record<string, Processor<unknown, unknown>>;
}

/** Runs capture files through the pipeline (replay, models train). */
export function runEmbeddedPipeline(files: readonly string[], options: EmbeddedRunOptions): Promise<EmbeddedRunResult> {
  const { config, storeDir } = options;
  return runEmbeddedPipelineFrom(
    (sink) => runCapture(files, { config: config.capture, actor: config.actor, storeDir, onExchange: sink.onExchange, drain: sink.drain, stderr: options.stderr }),
    options,
  );
}

/** Runs any capture source (files, or live sources until they stop: `collect`) through the pipeline. */
export async function runEmbeddedPipelineFrom(start: CaptureStart, options: EmbeddedRunOptions): Promise<EmbeddedRunResult> {
  const { config, storeDir, logger } = options;
  const bus = new MemoryBus(config.bus.memory);
  const stateCounters = new Counters();
  // One store per stage: stages run at different event times (the sessionizer ahead of the
  // anomaly engine by a queue's worth), and an in-memory store purges by the latest time it saw,
  // so a shared one would expire a slower stage's state early.
  const states: StateStore[] = [];
  const closeStates = async (): Promise<void> => {
    for (const s of states) await s.close();
  };
  let processors;
  let contexts;
  try {
    for (const _ of STAGES) states.push(await openStateStore(config, stateCounters));
    contexts = STAGES.map((spec, i) => ({ spec, ctx: stageContext(stageLogger(logger, spec.name), storeDir, states[i]!, options.models) }));
    processors = await Promise.all(contexts.map(({ spec, ctx }) => createStage(spec, config, ctx, options.stageDeps)));
  } catch (err) {
    await closeStates();
    throw err;
  }
  const runnerCounters = contexts[0]!.ctx.counters;
  const handles: StageHandle[] = [];
  for (const [i, { spec }] of contexts.entries()) {
    handles.push(
      await runStage({
        bus,
        stage: spec.name,
        inputs: stageInputs(spec, config),
        outputs: spec.outputs,
        route: spec.route,
        processor: processors[i]!,
        producerId: `${spec.name}@embedded`,
        counters: runnerCounters,
      }),
    );
  }
  const onFinding = options.onFinding;
  // The summary reads findings like any other group, and is done at the end-of-stream mark.
  let summaryDone: Promise<void> = Promise.resolve();
  if (onFinding !== undefined) {
    let done: () => void = () => undefined;
    summaryDone = new Promise((resolve) => (done = resolve));
    await bus.consume(TOPICS.findings, { group: 'sidetap.replay-summary' }, async (batch) => {
      for (const r of batch.records) onFinding(r.value);
      if (batch.watermark === END_OF_STREAM) done();
    });
  }
  const publisher = new CapturePublisher(bus, config.pipeline, 'capture@embedded');
  const onExchange = options.onExchange;
  let capture: CaptureRunResult;
  try {
    const failed = Promise.race(handles.map((h) => h.failed));
    failed.catch(() => undefined);
    capture = await start({
      onExchange: (ex) => {
        onExchange?.(ex);
        publisher.add(ex);
      },
      drain: () => publisher.drain(),
      backlog: () => publisher.backlog,
      failed,
    });
    await publisher.end();
    // A stage that fails for good ends the run with its error instead of waiting forever.
    await Promise.race([Promise.all([...handles.map((h) => h.ended), summaryDone]), ...handles.map((h) => h.failed)]);
  } finally {
    for (const h of handles) await h.stop();
    await bus.close();
    await closeStates();
  }
  const counters: Record<string, number> = { ...bus.counters.snapshot(), ...stateCounters.snapshot() };
  for (const { ctx } of contexts) Object.assign(counters, ctx.counters.snapshot());
  return { capture, counters, processors: Object.fromEntries(contexts.map(({ spec }, i) => [spec.name, processors[i]!])) };
}
