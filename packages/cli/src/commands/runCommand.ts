// `sidetap run <stage> --brokers host:9092`: one pipeline stage as its own process over Kafka
// (the distributed mode). `run capture` publishes captures' exchanges and exits; the other
// stages consume until SIGINT or SIGTERM.
import { createLogger } from '@sidetap/core';
import { parseCommandArgs, stringOption } from '../args';
import { checkpoint } from '../commandCheck';
import { checkInputFiles } from '../inputFiles';
import { defaultInstanceId, runDistributedCapture, runDistributedStage } from '../runner/distributedStage';
import type { DistributedOptions } from '../runner/distributedStage';
import { STAGE_NAMES, stageSpec } from '../runner/stageRegistry';
import { loadSidetapConfig, withSpec } from '../sidetapConfig';
import type { SidetapConfig } from '../sidetapConfig';
import { pipelineCountersText, reportFault, summaryText } from '../summaryText';
import { UsageError } from '../usageError';
import { withStoredSettings } from '../models/modelSettings';
import { withModelStore } from '../models/openModelStore';
import { withRedis } from '../redisOption';
import { withElastic } from '../elasticOption';
import type { CommandIo } from './commandIo';

export const RUN_USAGE =
  'sidetap run <capture|sessionizer|anomaly|indexer|responder> --brokers host:9092[,host:9092] [--config sidetap.yaml] [--store DIR] [--metrics HOST:PORT] [--instance-id ID] [--redis redis://host:6379] [--es URL] [--spec openapi.yaml] [<capture>... for capture]';

/** Where each stage serves /metrics unless told otherwise: local only, one port per stage. */
const DEFAULT_METRICS_PORT: Record<string, number> = { capture: 9461, sessionizer: 9462, anomaly: 9463, indexer: 9464, responder: 9465 };

export async function runCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('run', argv, {
    brokers: { type: 'string' },
    config: { type: 'string' },
    store: { type: 'string' },
    metrics: { type: 'string' },
    'instance-id': { type: 'string' },
    redis: { type: 'string' },
    spec: { type: 'string' },
    es: { type: 'string' },
  });
  const [stage, ...files] = args.positionals;
  if (stage === undefined || !(STAGE_NAMES as readonly string[]).includes(stage)) {
    throw new UsageError(`sidetap run: name a stage, one of ${STAGE_NAMES.join(', ')}${stage ? ` (not "${stage}")` : ''}.`);
  }
  const loaded = withSpec(loadSidetapConfig(stringOption(args, 'config')), stringOption(args, 'spec'));
  const config = withElastic(withRedis(withBrokers(loaded, stringOption(args, 'brokers')), stringOption(args, 'redis')), stringOption(args, 'es'));
  const metrics = parseHostPort(stringOption(args, 'metrics') ?? `127.0.0.1:${DEFAULT_METRICS_PORT[stage] ?? 0}`);
  if (stage === 'capture') checkInputFiles('run capture', files);
  else if (files.length > 0) throw new UsageError(`sidetap run ${stage}: takes no files (only capture reads captures).`);
  const storeDir = stringOption(args, 'store') ?? '.sidetap';
  checkpoint(io, `run ${stage}`, stage === 'capture' ? storeDir : undefined);
  const logger = createLogger({ level: config.logging.level });
  const stopSignal = new Promise<string>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
  const base = { storeDir, logger, metrics, instanceId: stringOption(args, 'instance-id') ?? defaultInstanceId(), stderr: io.stderr, stopSignal };
  return withModelStore(config, storeDir, async (models) => runStageProcess(stage, files, { ...base, config: await withStoredSettings(config, models), models }, io));
}

async function runStageProcess(stage: string, files: string[], options: DistributedOptions, io: CommandIo): Promise<number> {
  if (stage === 'capture') {
    const { capture, counters } = await runDistributedCapture(files, options);
    io.stderr.write(summaryText('run capture', capture.summary, capture.seconds));
    io.stderr.write(pipelineCountersText(counters, options.storeDir));
    return reportFault('run capture', capture.summary, io);
  }
  const counters = await runDistributedStage(stageSpec(stage)!, options);
  io.stderr.write(pipelineCountersText(counters, options.storeDir));
  return 0;
}

export function withBrokers(config: SidetapConfig, flag: string | undefined): SidetapConfig {
  const brokers = flag === undefined ? config.bus.kafka.brokers : flag.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (brokers.length === 0) throw new UsageError('--brokers: give at least one Kafka broker as host:port (or bus.kafka.brokers in the config).');
  for (const b of brokers) parseHostPort(b, '--brokers');
  return { ...config, bus: { ...config.bus, kafka: { ...config.bus.kafka, brokers } } };
}

export function parseHostPort(text: string, flag = '--metrics'): { host: string; port: number } {
  const colon = text.lastIndexOf(':');
  const host = text.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(text.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`${flag}: expected host:port, got "${text}".`);
  }
  return { host, port };
}
