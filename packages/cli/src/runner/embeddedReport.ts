// What `replay` and `collect` print after an embedded run: traffic, sessions, findings and where
// they went on stdout, the capture and pipeline counters on stderr; or one JSON document.
import { createLogger } from '@sidetap/core';
import type { ModelStore } from '@sidetap/core';
import { kindDir, STORE_KINDS } from '@sidetap/indexer';
import { DBIP_ATTRIBUTION } from '@sidetap/sessionizer';
import type { CaptureSummary } from '@sidetap/capture';
import type { CommandIo } from '../commands/commandIo';
import { elasticSummary } from '../elasticOption';
import { ExchangeTally, tallyText } from '../exchangeTally';
import { FindingsSummary } from '../findingsText';
import type { SidetapConfig } from '../sidetapConfig';
import { pipelineCountersText, sessionsText, summaryText } from '../summaryText';
import type { CaptureStart } from './captureSink';
import { runEmbeddedPipelineFrom } from './embeddedPipeline';

export interface EmbeddedReportOptions {
  command: 'replay' | 'collect';
  storeDir: string;
  models: ModelStore;
  json: boolean;
  /** What was read, for the first line (file names, or the sources' labels once started). */
  inputs: () => string;
}

/** Runs `start` through the embedded pipeline, prints the report, and returns capture's summary. */
export async function runEmbeddedWithReport(start: CaptureStart, config: SidetapConfig, options: EmbeddedReportOptions, io: CommandIo): Promise<CaptureSummary> {
  const { storeDir, models, command } = options;
  const findings = new FindingsSummary();
  const tally = new ExchangeTally();
  const logger = createLogger({ level: config.logging.level, pretty: io.stderr.isTTY === true });
  const result = await runEmbeddedPipelineFrom(start, {
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
    io.stdout.write(`sidetap ${command}: ${options.inputs()}\n`);
    io.stdout.write(tallyText(tally.report()));
    io.stdout.write(sessionsText(result.counters));
    io.stdout.write(findings.text());
    io.stdout.write(elasticSummary(config, result.counters, storeDir));
    // DB-IP's licence (CC BY 4.0) asks every use of its data to credit it.
    if (config.sessionizer.geo.enabled && config.sessionizer.geo.database === 'dbip-lite') io.stdout.write(`geo: ${DBIP_ATTRIBUTION}\n`);
    io.stderr.write(summaryText(command, summary, seconds));
    io.stderr.write(pipelineCountersText(result.counters, storeDir));
  }
  return summary;
}
