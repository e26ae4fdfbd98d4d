// `sidetap replay <file>...`: runs captures through the whole embedded pipeline (capture →
// sessionizer → anomaly → indexer and responder, in one process) and reports what it found.
import { createLogger } from '@sidetap/core';
import type { ModelStore } from '@sidetap/core';
import { kindDir, STORE_KINDS } from '@sidetap/indexer';
import { DBIP_ATTRIBUTION } from '@sidetap/sessionizer';
import { parseCommandArgs, stringOption } from '../args';
import { ExchangeTally, tallyText } from '../exchangeTally';
import { elasticSummary, withElastic } from '../elasticOption';
import { checkInputFiles } from '../inputFiles';
import { runEmbeddedPipeline } from '../runner/embeddedPipeline';
import { loadSidetapConfig, withLearn, withSpec } from '../sidetapConfig';
import type { SidetapConfig } from '../sidetapConfig';
import { FindingsSummary } from '../findingsText';
import { withStoredSettings } from '../models/modelSettings';
import { withModelStore } from '../models/openModelStore';
import { pipelineCountersText, reportFault, sessionsText, summaryText } from '../summaryText';
import type { CommandIo } from './commandIo';

export const REPLAY_USAGE = 'sidetap replay <capture>... [--spec openapi.yaml] [--learn 24h] [--config sidetap.yaml] [--store DIR] [--es URL] [--json]';

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
  return withModelStore(loaded, storeDir, async (models) => replay(args.positionals, await withStoredSettings(loaded, models), { storeDir, models, json: args.values['json'] === true }, io));
}

async function replay(files: string[], config: SidetapConfig, options: { storeDir: string; models: ModelStore; json: boolean }, io: CommandIo): Promise<number> {
  const { storeDir, models } = options;
  const findings = new FindingsSummary();

  const tally = new ExchangeTally();
  const logger = createLogger({ level: config.logging.level, pretty: io.stderr.isTTY === true });
  const result = await runEmbeddedPipeline(files, {
    config,
    storeDir,
    models,
    logger,
    stderr: io.stderr,
    onExchange: (ex) => tally.add(ex),
    onFinding: (f) => findings.add(f),
  });
  const { summary, seconds } = result.capture;
  const { fault, ...rest } = summary;
  if (options.json) {
    const doc = {
      ...rest,
      seconds,
      traffic: tally.report(),
      findings: { total: findings.total, shown: findings.kept },
      pipeline: result.counters,
      // Each kind's segment directory (docs/store.md); `sidetap findings` and `timeline` read them.
      store: Object.fromEntries(STORE_KINDS.map((kind) => [kind, kindDir(storeDir, kind)])),
      ...(fault ? { fault: fault.message } : {}),
    };
    io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    io.stdout.write(`sidetap replay: ${files.join(', ')}\n`);
    io.stdout.write(tallyText(tally.report()));
    io.stdout.write(sessionsText(result.counters));
    io.stdout.write(findings.text());
    io.stdout.write(elasticSummary(config, result.counters, storeDir));
    // DB-IP's licence (CC BY 4.0) asks every use of its data to credit it.
    if (config.sessionizer.geo.enabled && config.sessionizer.geo.database === 'dbip-lite') io.stdout.write(`geo: ${DBIP_ATTRIBUTION}\n`);
    io.stderr.write(summaryText('replay', summary, seconds));
    io.stderr.write(pipelineCountersText(result.counters, storeDir));
  }
  return reportFault('replay', summary, io);
}
