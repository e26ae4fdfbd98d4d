// The distributed mode (DESIGN.md §1): one stage per process over Kafka, serving /metrics and
// /healthz, running until SIGINT or SIGTERM, then draining: the batch in hand is finished,
// published and committed before the process exits.
import { hostname } from 'node:os';
import { KafkaBus } from '@sidetap/bus';
import { Counters, stageLogger } from '@sidetap/core';
import type { HttpExchange, Logger, ModelStore } from '@sidetap/core';
import { runCapture } from '../captureRun';
import type { CaptureRunResult } from '../captureRun';
import { startMetricsServer } from '../metrics/metricsServer';
import type { MetricsServer } from '../metrics/metricsServer';
import type { SidetapConfig } from '../sidetapConfig';
import { UsageError } from '../usageError';
import { CapturePublisher } from './capturePublisher';
import type { CaptureStart } from './captureSink';
import { openStateStore } from './openStateStore';
import { createStage, stageContext, stageInputs } from './stageRegistry';
import type { StageSpec } from './stageRegistry';
import { consumerGroup, runStage } from './stageRunner';
import { TOPICS } from './topics';

export interface DistributedOptions {
  config: SidetapConfig;
  storeDir: string;
  /** Where trained models are read from (the command opens and closes it). */
  models: ModelStore;
  logger: Logger;
  metrics: { host: string; port: number };
  /** Names this member's watermarks; stable across restarts so a restarted member replaces its old mark. */
  instanceId: string;
  stderr: { isTTY?: boolean; write(s: string): boolean };
  /** Resolves when the process is asked to stop. */
  stopSignal: Promise<string>;
}

const LAG_POLL_MS = 5000;

export async function runDistributedStage(spec: StageSpec<unknown, unknown>, options: DistributedOptions): Promise<Record<string, number>> {
  const { config, logger } = options;
  const bus = await connectBus(config, logger, [...stageInputs(spec, config), ...spec.outputs].map((t) => t.name));
  const runner = new Counters();
  let state;
  try {
    state = await openStateStore(config, runner);
  } catch (err) {
    await bus.close();
    throw err;
  }
  const ctx = stageContext(stageLogger(logger, spec.name), options.storeDir, state, options.models);
  const inputs = stageInputs(spec, config);
  let processor;
  try {
    processor = await createStage(spec, config, ctx);
  } catch (err) {
    await state.close();
    await bus.close();
    throw err;
  }
  const handle = await runStage({
    bus,
    stage: spec.name,
    inputs,
    outputs: spec.outputs,
    route: spec.route,
    processor,
    producerId: `${spec.name}@${options.instanceId}`,
    counters: runner,
  });
  let failure: Error | undefined;
  handle.failed.catch((err: Error) => (failure = err));
  const snapshot = (): Record<string, number> => ({ ...bus.counters.snapshot(), ...runner.snapshot(), ...ctx.counters.snapshot() });
  const server = await serveMetrics(options, spec.name, snapshot, () => failure);
  const lagTimer = setInterval(() => {
    for (const t of inputs) {
      bus.lag(t.name, consumerGroup(spec.name, t.name)).then(
        (lag) => runner.set(`runner_consumer_lag_records{stage="${spec.name}",topic="${t.name}"}`, lag),
        (err: Error) => logger.debug({ err: err.message }, 'lag poll failed'),
      );
    }
  }, LAG_POLL_MS);
  options.stderr.write(
    `sidetap run ${spec.name}: reading ${inputs.map((t) => `${t.name} (group ${consumerGroup(spec.name, t.name)})`).join(', ')}` +
      `${spec.outputs.length > 0 ? `, writing ${spec.outputs.map((t) => t.name).join(', ')}` : ''}; metrics on ${server.url}/metrics\n`,
  );
  try {
    const why = await Promise.race([options.stopSignal, handle.failed]);
    logger.info({ signal: why }, 'stopping: finishing the batch in hand');
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'stage failed');
    throw err;
  } finally {
    clearInterval(lagTimer);
    await handle.stop();
    await bus.close();
    await state.close();
    await server.close();
  }
  return snapshot();
}

export function runDistributedCapture(
  files: readonly string[],
  options: DistributedOptions & { onExchange?: (exchange: HttpExchange) => void },
): Promise<{ capture: CaptureRunResult; counters: Record<string, number> }> {
  return runDistributedCaptureFrom(
    (sink) =>
      runCapture(files, {
        config: options.config.capture,
        actor: options.config.actor,
        storeDir: options.storeDir,
        onExchange: (ex) => {
          options.onExchange?.(ex);
          sink.onExchange(ex);
        },
        drain: sink.drain,
        stderr: options.stderr,
      }),
    options,
  );
}

/** Publishes what any capture source gives (files, or `collect`'s live sources) to Kafka. */
export async function runDistributedCaptureFrom(
  start: CaptureStart,
  options: DistributedOptions,
  command = 'run capture',
): Promise<{ capture: CaptureRunResult; counters: Record<string, number> }> {
  const { config, logger } = options;
  const bus = await connectBus(config, logger, [TOPICS.exchanges.name]);
  const server = await serveMetrics(options, 'capture', () => bus.counters.snapshot(), () => undefined);
  options.stderr.write(`sidetap ${command}: writing ${TOPICS.exchanges.name}; metrics on ${server.url}/metrics\n`);
  // Each capture run is a producer of its own: its end-of-stream mark must not silence a later run.
  const publisher = new CapturePublisher(bus, config.pipeline, `capture@${options.instanceId}:${process.pid}:${Date.now()}`);
  try {
    const capture = await start({
      onExchange: (ex) => publisher.add(ex),
      onEncoded: (key, tsMs, bytes) => publisher.addEncoded(key, tsMs, bytes),
      drain: () => publisher.drain(),
      backlog: () => publisher.backlog,
      // No stage runs in this process: nothing here fails but the bus, which drain() reports.
      failed: new Promise<never>(() => undefined),
    });
    await publisher.end();
    return { capture, counters: bus.counters.snapshot() };
  } finally {
    await bus.close();
    await server.close();
  }
}

async function connectBus(config: SidetapConfig, logger: Logger, topics: readonly string[]): Promise<KafkaBus> {
  const bus = new KafkaBus(config.bus.kafka, stageLogger(logger, 'bus'));
  let missing: string[];
  try {
    missing = await bus.missingTopics(topics);
  } catch (err) {
    await bus.close().catch(() => undefined);
    throw new UsageError(`--brokers ${config.bus.kafka.brokers.join(',')}: cannot reach Kafka (${(err as Error).message}).`);
  }
  if (missing.length > 0) {
    await bus.close();
    const brokers = config.bus.kafka.brokers.join(',');
    throw new UsageError(`--brokers ${brokers}: topic ${missing.join(', ')} does not exist; run \`sidetap kafka setup --brokers ${brokers}\` first.`);
  }
  return bus;
}

function serveMetrics(
  options: DistributedOptions,
  stage: string,
  metrics: () => Record<string, number>,
  failure: () => Error | undefined,
): Promise<MetricsServer> {
  return startMetricsServer({
    host: options.metrics.host,
    port: options.metrics.port,
    metrics,
    logger: options.logger,
    health: () => {
      const err = failure();
      return { ok: err === undefined, detail: { stage, instance: options.instanceId, ...(err ? { error: err.message } : {}) } };
    },
  });
}

export function defaultInstanceId(): string {
  return hostname();
}
