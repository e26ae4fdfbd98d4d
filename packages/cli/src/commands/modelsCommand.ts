// `sidetap models <subcommand>`: the anomaly engine's learning lifecycle, driven from the command
// line. Models and analyst settings live in the store (`<store>/models/`), so every later replay
// or run on that store uses them.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANOMALY_MODELS_DOCUMENT, createDetectors, parameterOf, parseAnomalyModels, readAnomalyModels, writeAnomalyModels } from '@sidetap/anomaly';
import { DirectoryModelStore, memoryStateStoreConfigSchema } from '@sidetap/bus';
import type { AnomalyEngine, AnomalyModels, Suppression } from '@sidetap/anomaly';
import { Counters, createLogger } from '@sidetap/core';
import { kindDir, kindExists, readStoreRecords } from '@sidetap/indexer';
import type { Finding, ModelStore } from '@sidetap/core';
import { parseCommandArgs, stringOption } from '../args';
import type { ParsedArgs } from '../args';
import { evaluate, evaluationText } from '../evaluation/evaluation';
import { readLabels } from '../evaluation/labels';
import { checkInputFiles } from '../inputFiles';
import { addSuppression, readSettings, readSuppressions, setDetectorParam, withStoredSettings } from '../models/modelSettings';
import { withModelStore } from '../models/openModelStore';
import { withRedis } from '../redisOption';
import { runEmbeddedPipeline } from '../runner/embeddedPipeline';
import { loadSidetapConfig, withSpec } from '../sidetapConfig';
import type { SidetapConfig } from '../sidetapConfig';
import { reportFault } from '../summaryText';
import { UsageError } from '../usageError';
import type { CommandIo } from './commandIo';

export const MODELS_USAGE = `sidetap models train <capture>... [--store DIR | --redis URL] [--spec openapi.yaml] [--config sidetap.yaml]
  sidetap models show [--store DIR | --redis URL]
  sidetap models set <detector>.<param>=<value> [--store DIR | --redis URL]
  sidetap models feedback <finding-id> --benign [--store DIR] [--redis URL]
  sidetap models export <file> | import <file> [--store DIR | --redis URL]
  sidetap models diff <a.json> <b.json>
  sidetap models evaluate <capture>... --labels labels.json [--spec openapi.yaml] [--config sidetap.yaml] [--json]`;

const SUBCOMMANDS: Record<string, (argv: string[], io: CommandIo) => Promise<number>> = {
  train: trainCommand,
  show: showCommand,
  set: setCommand,
  feedback: feedbackCommand,
  export: exportCommand,
  import: importCommand,
  diff: diffCommand,
  evaluate: evaluateCommand,
};

export async function modelsCommand(argv: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  const run = sub === undefined ? undefined : SUBCOMMANDS[sub];
  if (run === undefined) {
    throw new UsageError(`sidetap models: ${sub === undefined ? 'name a subcommand' : `unknown subcommand "${sub}"`} (${Object.keys(SUBCOMMANDS).join(', ')}).`);
  }
  return run(rest, io);
}

const storeOf = (args: { values: Record<string, unknown> }): string => (typeof args.values['store'] === 'string' ? (args.values['store'] as string) : '.sidetap');

/** Options every subcommand that reads or writes the model store takes. */
const STORE_OPTIONS = { store: { type: 'string' }, redis: { type: 'string' }, config: { type: 'string' } } as const;

/** The model store the options name: `--redis URL` (or `state.kind: redis` in the config), else `<store>/models/`. */
function withStore<T>(args: ParsedArgs, use: (models: ModelStore, config: SidetapConfig) => Promise<T>, loaded?: SidetapConfig): Promise<T> {
  const config = withRedis(loaded ?? loadSidetapConfig(stringOption(args, 'config')), stringOption(args, 'redis'));
  return withModelStore(config, storeOf(args), (models) => use(models, config));
}

async function trainCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('models train', argv, { ...STORE_OPTIONS, spec: { type: 'string' } });
  checkInputFiles('models train', args.positionals);
  const store = storeOf(args);
  return withStore(args, (modelStore, loaded) => train(args.positionals, loaded, store, modelStore, io), withSpec(loadSidetapConfig(stringOption(args, 'config')), stringOption(args, 'spec')));
}

async function train(files: string[], loaded: SidetapConfig, store: string, modelStore: ModelStore, io: CommandIo): Promise<number> {
  // Everything in the chosen captures is normal by choice: learn all of it, score none, start fresh.
  const config: SidetapConfig = {
    ...loaded,
    // Training state is scratch: in memory, whatever store the models go to.
    state: loaded.state.kind === 'memory' ? loaded.state : memoryStateStoreConfigSchema.parse({ kind: 'memory', windowRetention: loaded.state.windowRetention, maxSortedSetMembers: loaded.state.maxSortedSetMembers, idleTtlMs: loaded.state.idleTtlMs }),
    anomaly: { ...loaded.anomaly, learnMs: Number.MAX_SAFE_INTEGER, useStoredModels: false },
    indexer: { ...loaded.indexer, events: false },
  };
  const scratch = mkdtempSync(join(tmpdir(), 'sidetap-train-'));
  try {
    // The key is the store's, so the tokens hashed while training are the ones later runs see.
    if (existsSync(join(store, 'redaction.key'))) copyFileSync(join(store, 'redaction.key'), join(scratch, 'redaction.key'));
    const result = await runEmbeddedPipeline(files, { config, storeDir: scratch, models: modelStore, logger: createLogger({ level: config.logging.level }), stderr: io.stderr });
    const models = (result.processors['anomaly'] as AnomalyEngine).exportModels(files);
    const file = await writeAnomalyModels(modelStore, models);
    io.stdout.write(`sidetap models train: learned from ${result.capture.summary.exchanges} exchanges (${models.learnedFrom ?? '-'} to ${models.learnedUntil ?? '-'}); wrote ${file}\n`);
    return reportFault('models train', result.capture.summary, io);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function loadModels(store: ModelStore): Promise<AnomalyModels> {
  let models: AnomalyModels | undefined;
  try {
    models = await readAnomalyModels(store);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}.`);
  }
  if (models === undefined) throw new UsageError(`${store.where(ANOMALY_MODELS_DOCUMENT)}: no models yet; run \`sidetap models train <capture>\` on this store.`);
  return models;
}

function modelText(models: AnomalyModels, config: SidetapConfig): string {
  const lines = [
    `models (${models.format}), trained ${models.trainedAt} on ${models.trainedOn.join(', ')}`,
    `learned from ${models.learnedFrom ?? '-'} to ${models.learnedUntil ?? '-'} (event time)`,
  ];
  // Every detector is loaded from its part, so a document a detector cannot read is named here, not at the next replay.
  const all = Object.fromEntries(Object.entries(config.anomaly.detectors).map(([name, c]) => [name, { ...c, enabled: name in models.detectors }])) as typeof config.anomaly.detectors;
  for (const d of createDetectors(all, { counters: new Counters() }, models)) {
    if (d.modelSummary !== undefined) lines.push('', `${d.name}:`, d.modelSummary());
  }
  return lines.join('\n') + '\n';
}

async function showCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('models show', argv, STORE_OPTIONS);
  return withStore(args, async (store, loaded) => {
    const config = await withStoredSettings(loaded, store);
    io.stdout.write(modelText(await loadModels(store), config));
    const settings = await readSettings(store);
    if (Object.keys(settings).length > 0) io.stdout.write(`\nsettings (models set): ${JSON.stringify(settings)}\n`);
    const suppressions = await readSuppressions(store);
    if (suppressions.length > 0) io.stdout.write(`suppressions (models feedback): ${suppressions.length}\n${suppressions.map((s) => `  ${JSON.stringify(s)}`).join('\n')}\n`);
    return 0;
  });
}

async function setCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('models set', argv, STORE_OPTIONS);
  if (args.positionals.length !== 1) throw new UsageError('sidetap models set: give one <detector>.<param>=<value>.');
  const file = await withStore(args, (store) => setDetectorParam(store, args.positionals[0]!));
  io.stdout.write(`sidetap models set: ${args.positionals[0]} (in ${file}; used by every replay and run on this store)\n`);
  return 0;
}

async function feedbackCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('models feedback', argv, { ...STORE_OPTIONS, benign: { type: 'boolean' } });
  const [id] = args.positionals;
  if (id === undefined || args.values['benign'] !== true) throw new UsageError('sidetap models feedback: give <finding-id> --benign.');
  const store = storeOf(args);
  const file = kindDir(store, 'alert');
  if (!kindExists(store, 'alert')) throw new UsageError(`${file}: no findings stored; feedback refers to findings in the store.`);
  let finding: Finding | undefined;
  for await (const f of readStoreRecords<Finding>(store, 'alert')) {
    if (f.event?.id === id) {
      finding = f;
      break;
    }
  }
  if (finding === undefined) throw new UsageError(`${file}: no finding with id ${id}.`);
  const location = finding.sidetap.location;
  let suppression: Suppression;
  let scope: string;
  if (location !== undefined && finding.sidetap.endpoint !== undefined) {
    // A request threat judged benign is a value this endpoint legitimately takes in this parameter
    // (a search box that accepts SQL-looking text): scoped to both, the signature stays on everywhere else.
    const parameter = parameterOf(location);
    suppression = { rule: finding.rule.id, endpoint: finding.sidetap.endpoint, parameter, reason: `marked benign: finding ${id}` };
    scope = `${finding.sidetap.endpoint} ${parameter}`;
  } else {
    // Scoped to this rule and this actor (or source, or endpoint): the detector stays on for everyone else.
    const actor = finding.sidetap.actor_key ?? finding.user?.name ?? finding.user?.id;
    suppression = {
      rule: finding.rule.id,
      ...(actor !== undefined ? { actor } : finding.source?.ip !== undefined ? { sourceIp: finding.source.ip } : {}),
      ...(actor === undefined && finding.source?.ip === undefined && finding.sidetap.endpoint !== undefined ? { endpoint: finding.sidetap.endpoint } : {}),
      reason: `marked benign: finding ${id}`,
    };
    scope = actor ?? finding.source?.ip ?? finding.sidetap.endpoint ?? 'everyone';
  }
  const where = await withStore(args, (models) => addSuppression(models, suppression));
  io.stdout.write(`sidetap models feedback: added a suppression of ${finding.rule.id} for ${scope} (in ${where}); baselines are unchanged.\n`);
  return 0;
}

async function exportCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('models export', argv, STORE_OPTIONS);
  if (args.positionals.length !== 1) throw new UsageError('sidetap models export: give the file to write.');
  const models = await withStore(args, (store) => loadModels(store));
  writeFileSync(args.positionals[0]!, JSON.stringify(models, null, 1) + '\n');
  io.stdout.write(`sidetap models export: wrote ${args.positionals[0]}\n`);
  return 0;
}

async function importCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('models import', argv, STORE_OPTIONS);
  const [file] = args.positionals;
  if (file === undefined || !existsSync(file)) throw new UsageError(`sidetap models import: ${file ?? 'give a file'}${file ? ': no such file' : ''}.`);
  let models: AnomalyModels;
  try {
    models = parseAnomalyModels(readFileSync(file, 'utf8'), file);
    // Checked as the engine will load it, so a bad document is refused here, not at the next replay.
    modelText(models, loadSidetapConfig(stringOption(args, 'config')));
  } catch (err) {
    throw new UsageError(`${(err as Error).message.replace(/\.$/, '')}.`);
  }
  io.stdout.write(`sidetap models import: wrote ${await withStore(args, (store) => writeAnomalyModels(store, models))}\n`);
  return 0;
}

async function diffCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('models diff', argv, { config: { type: 'string' } });
  if (args.positionals.length !== 2) throw new UsageError('sidetap models diff: give two model files.');
  const config = loadSidetapConfig(stringOption(args, 'config'));
  const [a, b] = args.positionals.map((f) => {
    if (!existsSync(f)) throw new UsageError(`${f}: no such file.`);
    try {
      return modelText(parseAnomalyModels(readFileSync(f, 'utf8'), f), config).split('\n').slice(2);
    } catch (err) {
      throw new UsageError(`${(err as Error).message.replace(/\.$/, '')}.`);
    }
  }) as [string[], string[]];
  const inA = new Set(a);
  const inB = new Set(b);
  const removed = a.filter((l) => !inB.has(l));
  const added = b.filter((l) => !inA.has(l));
  for (const l of removed) io.stdout.write(`- ${l}\n`);
  for (const l of added) io.stdout.write(`+ ${l}\n`);
  if (removed.length === 0 && added.length === 0) io.stdout.write('models are the same\n');
  return 0;
}

async function evaluateCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('models evaluate', argv, { labels: { type: 'string' }, spec: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } });
  const labelsFile = stringOption(args, 'labels');
  if (labelsFile === undefined) throw new UsageError('sidetap models evaluate: --labels is required.');
  checkInputFiles('models evaluate', args.positionals);
  const labels = readLabels(labelsFile);
  const loaded = withSpec(loadSidetapConfig(stringOption(args, 'config')), stringOption(args, 'spec'));
  // The labels say where learning ends; the engine learns until then.
  const learnMs = Math.max(0, Date.parse(labels.learningEnd) - Date.parse(labels.captureStart));
  const config = { ...loaded, anomaly: { ...loaded.anomaly, learnMs }, indexer: { ...loaded.indexer, events: false } };
  const store = mkdtempSync(join(tmpdir(), 'sidetap-evaluate-'));
  const findings: Finding[] = [];
  try {
    const result = await runEmbeddedPipeline(args.positionals, {
      config,
      storeDir: store,
      // A scratch store: evaluation judges the configured detectors learning from this capture alone.
      models: new DirectoryModelStore(store),
      logger: createLogger({ level: config.logging.level }),
      stderr: io.stderr,
      onFinding: (f) => findings.push(f),
    });
    const evaluation = evaluate(findings, labels);
    if (args.values['json'] === true) io.stdout.write(JSON.stringify(evaluation, null, 2) + '\n');
    else io.stdout.write(`sidetap models evaluate: ${args.positionals.join(', ')} against ${labelsFile} (learning until ${labels.learningEnd})\n${evaluationText(evaluation)}`);
    return reportFault('models evaluate', result.capture.summary, io);
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}
