// `sidetap models <subcommand>`: the anomaly engine's learning lifecycle. For now: evaluate, which
// replays a labelled capture through the whole embedded pipeline and prints recall, precision and
// time to detect per category.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@sidetap/core';
import type { Finding } from '@sidetap/core';
import { parseCommandArgs, stringOption } from '../args';
import { evaluate, evaluationText } from '../evaluation/evaluation';
import { readLabels } from '../evaluation/labels';
import { checkInputFiles } from '../inputFiles';
import { runEmbeddedPipeline } from '../runner/embeddedPipeline';
import { loadSidetapConfig, withSpec } from '../sidetapConfig';
import { reportFault } from '../summaryText';
import { UsageError } from '../usageError';
import type { CommandIo } from './commandIo';

export const MODELS_USAGE = 'sidetap models evaluate <capture>... --labels labels.json [--spec openapi.yaml] [--config sidetap.yaml] [--json]';

export async function modelsCommand(argv: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'evaluate') throw new UsageError(`sidetap models: ${sub === undefined ? 'name a subcommand' : `unknown subcommand "${sub}"`}; available now: evaluate (${MODELS_USAGE}).`);
  const args = parseCommandArgs('models evaluate', rest, { labels: { type: 'string' }, spec: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } });
  const labelsFile = stringOption(args, 'labels');
  if (labelsFile === undefined) throw new UsageError(`sidetap models evaluate: --labels is required (${MODELS_USAGE}).`);
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
