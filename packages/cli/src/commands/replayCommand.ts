// `sidetap replay <file>...`: runs captures through the whole embedded pipeline (capture →
// sessionizer → anomaly → indexer and responder, in one process) and reports what it found.
import type { ModelStore } from '@sidetap/core';
import { parseCommandArgs, stringOption } from '../args';
import { checkpoint } from '../commandCheck';
import { runCapture } from '../captureRun';
import { withElastic } from '../elasticOption';
import { checkInputFiles } from '../inputFiles';
import type { CaptureStart } from '../runner/captureSink';
import { runEmbeddedWithReport } from '../runner/embeddedReport';
import { loadSidetapConfig, withLearn, withSpec } from '../sidetapConfig';
import type { SidetapConfig } from '../sidetapConfig';
import { withStoredSettings } from '../models/modelSettings';
import { withModelStore } from '../models/openModelStore';
import { reportFault } from '../summaryText';
import type { CommandIo } from './commandIo';

export const REPLAY_USAGE = 'sidetap replay <capture|file.har>... [--spec openapi.yaml] [--learn 24h] [--config sidetap.yaml] [--store DIR] [--es URL] [--json]';

export async function replayCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('replay', argv, {
    config: { type: 'string' },
    store: { type: 'string' },
    json: { type: 'boolean' },
    spec: { type: 'string' },
    learn: { type: 'string' },
    es: { type: 'string' },
  });
  checkInputFiles('replay', args.positionals);
  const storeDir = stringOption(args, 'store') ?? '.sidetap';
  const loaded = withElastic(withLearn(withSpec(loadSidetapConfig(stringOption(args, 'config')), stringOption(args, 'spec')), stringOption(args, 'learn')), stringOption(args, 'es'));
  checkpoint(io, 'replay', storeDir);
  return withModelStore(loaded, storeDir, async (models) => replay(args.positionals, await withStoredSettings(loaded, models), { storeDir, models, json: args.values['json'] === true }, io));
}

async function replay(files: string[], config: SidetapConfig, options: { storeDir: string; models: ModelStore; json: boolean }, io: CommandIo): Promise<number> {
  const { storeDir } = options;
  const start: CaptureStart = (sink) =>
    runCapture(files, { config: config.capture, actor: config.actor, storeDir, onExchange: sink.onExchange, drain: sink.drain, stderr: io.stderr });
  const summary = await runEmbeddedWithReport(start, config, { ...options, command: 'replay', inputs: () => files.join(', ') }, io);
  return reportFault('replay', summary, io);
}
