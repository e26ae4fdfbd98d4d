// `sidetap collect`: live traffic from several sources at once (a network interface, VXLAN and
// GENEVE mirroring, gateway mirror streams) through the whole embedded pipeline, findings into
// the store as replay puts them; or, with --brokers, onto Kafka for the distributed stages. Runs
// until SIGINT/SIGTERM, --duration or --max-exchanges, then flushes and prints replay's summary.
import { ConfigError, createLogger } from '@sidetap/core';
import type { ModelStore } from '@sidetap/core';
import { parseListenAddress, readMirrorToken, readMirrorTls } from '@sidetap/capture';
import { parseCommandArgs, stringOption } from '../args';
import type { ParsedArgs } from '../args';
import { checkpoint } from '../commandCheck';
import { withStoredSettings } from '../models/modelSettings';
import { withModelStore } from '../models/openModelStore';
import { loadRedactionKey } from '../redactionKey';
import { runCollect } from '../runner/collectRun';
import type { CollectRunOptions } from '../runner/collectRun';
import type { CollectSourceSpec } from '../runner/collectSources';
import { defaultInstanceId, runDistributedCaptureFrom } from '../runner/distributedStage';
import type { CaptureStart } from '../runner/captureSink';
import { runEmbeddedWithReport } from '../runner/embeddedReport';
import { loadSidetapConfig, withLearn, withSpec } from '../sidetapConfig';
import type { SidetapConfig } from '../sidetapConfig';
import { pipelineCountersText, summaryText } from '../summaryText';
import { UsageError } from '../usageError';
import type { CommandIo } from './commandIo';
import { parseHostPort, withBrokers } from './runCommand';

export const COLLECT_USAGE =
  'sidetap collect [--iface NAME [--bpf EXPR] [--snaplen N] [--buffer-size MB]] [--vxlan HOST:PORT] [--geneve HOST:PORT] ' +
  '[--mirror-http HOST:PORT --mirror-token-file F [--mirror-tls-cert F --mirror-tls-key F [--mirror-tls-ca F]]] [--workers N] ' +
  '[--duration 30s] [--max-exchanges N] [--config sidetap.yaml] [--spec openapi.yaml] [--learn 24h] [--store DIR] [--json] ' +
  '[--brokers host:9092 [--metrics HOST:PORT] [--instance-id ID]]';

const MAX_WORKERS = 16;
/** Where collect serves /metrics with --brokers unless told otherwise: the capture stage's port. */
const DEFAULT_METRICS = '127.0.0.1:9461';

const OPTIONS = {
  iface: { type: 'string' },
  bpf: { type: 'string' },
  snaplen: { type: 'string' },
  'buffer-size': { type: 'string' },
  vxlan: { type: 'string' },
  geneve: { type: 'string' },
  'mirror-http': { type: 'string' },
  'mirror-token-file': { type: 'string' },
  'mirror-tls-cert': { type: 'string' },
  'mirror-tls-key': { type: 'string' },
  'mirror-tls-ca': { type: 'string' },
  workers: { type: 'string' },
  duration: { type: 'string' },
  'max-exchanges': { type: 'string' },
  config: { type: 'string' },
  spec: { type: 'string' },
  learn: { type: 'string' },
  store: { type: 'string' },
  json: { type: 'boolean' },
  brokers: { type: 'string' },
  metrics: { type: 'string' },
  'instance-id': { type: 'string' },
} as const;

export async function collectCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('collect', argv, OPTIONS);
  if (args.positionals.length > 0) {
    throw new UsageError(`sidetap collect: takes no capture files (got "${args.positionals[0]}"); \`sidetap replay\` reads files.`);
  }
  // The config before the files the sources read (token, certificates): its errors come first.
  const loaded = withLearn(withSpec(loadSidetapConfig(stringOption(args, 'config')), stringOption(args, 'spec')), stringOption(args, 'learn'));
  const specs = configErrorsAsUsage(() => sourceSpecs(args));
  const workers = integerOption(args, 'workers', 0, MAX_WORKERS) ?? 0;
  const durationMs = durationOption(args);
  const maxExchanges = integerOption(args, 'max-exchanges', 1, Number.MAX_SAFE_INTEGER);
  const storeDir = stringOption(args, 'store') ?? '.sidetap';
  const brokers = stringOption(args, 'brokers');
  for (const flag of ['metrics', 'instance-id'] as const) {
    if (brokers === undefined && stringOption(args, flag) !== undefined) throw new UsageError(`--${flag}: only applies with --brokers.`);
  }
  const config = brokers === undefined ? loaded : withBrokers(loaded, brokers);
  const metrics = brokers === undefined ? undefined : parseHostPort(stringOption(args, 'metrics') ?? DEFAULT_METRICS);
  checkpoint(io, 'collect', storeDir);
  const redactionKey = loadRedactionKey(storeDir);

  const stop = stopSignal();
  try {
    return await withModelStore(config, storeDir, async (models) => {
      const settled = await withStoredSettings(config, models);
      const run: Omit<CollectRunOptions, 'config'> = { specs, redactionKey, workers, stderr: io.stderr, stopSignal: stop.signal, durationMs, maxExchanges };
      if (metrics !== undefined) {
        const logger = createLogger({ level: settled.logging.level });
        const options = { config: settled, storeDir, models, logger, metrics, instanceId: stringOption(args, 'instance-id') ?? defaultInstanceId(), stderr: io.stderr, stopSignal: stop.signal };
        const { capture, counters } = await runDistributedCaptureFrom((sink) => runCollect(sink, { ...run, config: settled }), options, 'collect');
        io.stderr.write(summaryText('collect', capture.summary, capture.seconds));
        io.stderr.write(pipelineCountersText(counters, storeDir));
        return 0;
      }
      return collectEmbedded(settled, run, { storeDir, models, json: args.values['json'] === true }, io);
    });
  } finally {
    stop.dispose();
  }
}

async function collectEmbedded(
  config: SidetapConfig,
  run: Omit<CollectRunOptions, 'config'>,
  options: { storeDir: string; models: ModelStore; json: boolean },
  io: CommandIo,
): Promise<number> {
  let labels: string[] = [];
  const start: CaptureStart = (sink) => runCollect(sink, { ...run, config, onStarted: (l) => (labels = l) });
  await runEmbeddedWithReport(start, config, { ...options, command: 'collect', inputs: () => labels.join(', ') }, io);
  return 0;
}

/** The sources the flags ask for; a flag that belongs to a source not asked for is a usage error. */
function sourceSpecs(args: ParsedArgs): CollectSourceSpec[] {
  const specs: CollectSourceSpec[] = [];
  const iface = stringOption(args, 'iface');
  if (iface !== undefined) {
    if (iface.trim() === '') throw new UsageError('--iface: name an interface, such as eth0 or lo.');
    specs.push({
      kind: 'live',
      iface,
      bpf: stringOption(args, 'bpf'),
      snaplen: integerOption(args, 'snaplen', 64, 65535),
      bufferSizeMb: numberOption(args, 'buffer-size'),
    });
  } else {
    for (const flag of ['bpf', 'snaplen', 'buffer-size'] as const) {
      if (stringOption(args, flag) !== undefined) throw new UsageError(`--${flag}: only applies with --iface.`);
    }
  }
  for (const kind of ['vxlan', 'geneve'] as const) {
    const text = stringOption(args, kind);
    if (text !== undefined) specs.push({ kind, ...parseListenAddress(text, `--${kind}`) });
  }
  const mirror = stringOption(args, 'mirror-http');
  const tokenFile = stringOption(args, 'mirror-token-file');
  const cert = stringOption(args, 'mirror-tls-cert');
  const key = stringOption(args, 'mirror-tls-key');
  const ca = stringOption(args, 'mirror-tls-ca');
  if (mirror !== undefined) {
    if ((cert === undefined) !== (key === undefined)) throw new UsageError(cert === undefined ? '--mirror-tls-key: needs --mirror-tls-cert beside it.' : '--mirror-tls-cert: needs --mirror-tls-key beside it.');
    if (ca !== undefined && cert === undefined) throw new UsageError('--mirror-tls-ca: needs --mirror-tls-cert and --mirror-tls-key (client certificates need TLS).');
    specs.push({
      kind: 'mirror',
      ...parseListenAddress(mirror, '--mirror-http'),
      token: tokenFile === undefined ? undefined : readMirrorToken(tokenFile),
      tls: cert === undefined || key === undefined ? undefined : readMirrorTls({ cert, key, ca }),
    });
  } else {
    for (const [flag, value] of [['mirror-token-file', tokenFile], ['mirror-tls-cert', cert], ['mirror-tls-key', key], ['mirror-tls-ca', ca]] as const) {
      if (value !== undefined) throw new UsageError(`--${flag}: only applies with --mirror-http.`);
    }
  }
  if (specs.length === 0) throw new UsageError('sidetap collect: name at least one source: --iface, --vxlan, --geneve or --mirror-http.');
  return specs;
}

function integerOption(args: ParsedArgs, flag: string, min: number, max: number): number | undefined {
  const text = stringOption(args, flag);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new UsageError(`--${flag}: expected a whole number from ${min} to ${max}, got "${text}".`);
  return n;
}

function numberOption(args: ParsedArgs, flag: string): number | undefined {
  const text = stringOption(args, flag);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag}: expected a positive number, got "${text}".`);
  return n;
}

/** --duration 30s | 5m | 1h | 1d | 500ms; a bare number is seconds. */
function durationOption(args: ParsedArgs): number | undefined {
  const text = stringOption(args, 'duration');
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  const ms = m === null ? NaN : Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd'];
  if (!(ms > 0) || ms > 2 ** 31 - 1) throw new UsageError(`--duration: expected a duration such as 30s, 5m or 2h (at most 24 days), got "${text}".`);
  return Math.round(ms);
}

function configErrorsAsUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

/** Resolves on the first SIGINT or SIGTERM; dispose() removes the handlers again. */
function stopSignal(): { signal: Promise<string>; dispose(): void } {
  let resolve: (name: string) => void = () => undefined;
  const signal = new Promise<string>((r) => (resolve = r));
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = (): void => resolve(name);
    process.once(name, handler);
    return [name, handler] as const;
  });
  return {
    signal,
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
