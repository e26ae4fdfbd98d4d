// `sidetap findings export --es URL`: pushes findings already in the local store (a laptop replay,
// a period when no cluster was reachable) to Elasticsearch through the indexer's bulk path. The
// same deterministic ids make a repeated export, or one overlapping what a live indexer wrote,
// add nothing twice.
import { createElasticSink } from '@sidetap/indexer';
import type { ElasticSink, FindingsFilter } from '@sidetap/indexer';
import { Counters, createLogger } from '@sidetap/core';
import type { Finding } from '@sidetap/core';
import { queryFindingLines } from '@sidetap/indexer';
import { parseCommandArgs, stringOption } from '../args';
import { elasticNodeUrl } from '../elasticOption';
import { FINDINGS_FILTER_OPTIONS, FINDINGS_FILTER_USAGE, findingsFilterOf } from '../findingsFilterOptions';
import { loadSidetapConfig } from '../sidetapConfig';
import { UsageError } from '../usageError';
import type { CommandIo } from './commandIo';

export const FINDINGS_EXPORT_USAGE = `sidetap findings export --es URL ${FINDINGS_FILTER_USAGE} [--config sidetap.yaml]`;

const BATCH = 1000;

export async function findingsExportCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('findings export', argv, { ...FINDINGS_FILTER_OPTIONS, es: { type: 'string' }, config: { type: 'string' } });
  if (args.positionals.length > 0) throw new UsageError(`sidetap findings export: unexpected argument "${args.positionals[0]}"; see \`sidetap help\`.`);
  const esText = stringOption(args, 'es');
  if (esText === undefined) throw new UsageError('sidetap findings export: name the cluster with --es URL.');
  const node = elasticNodeUrl(esText, '--es');
  const store = stringOption(args, 'store') ?? '.sidetap';
  const filter = findingsFilterOf(args, store);
  const config = { ...loadSidetapConfig(stringOption(args, 'config')).indexer.elasticsearch, node };
  const counters = new Counters();
  const logger = createLogger({ level: 'warn', pretty: io.stderr.isTTY === true });
  const sink = createElasticSink(config, { storeDir: store, counters, logger });
  const stop = (): void => sink.interrupt();
  process.once('SIGINT', stop);
  try {
    await sink.ready(config.startupTimeoutMs);
    const sent = filter === undefined ? 0 : await exportFindings(store, filter, sink);
    const n = (name: string): number => counters.get(name) ?? 0;
    const dead = n('indexer_es_dead_lettered_total');
    io.stdout.write(
      `sidetap findings export: ${sent} findings to logs-sidetap.findings-${config.namespace} at ${node}: ` +
        `${n('indexer_es_documents_written_total')} written, ${n('indexer_es_duplicates_total')} already there` +
        (dead > 0 ? `, ${dead} rejected for good (see the dead-letter file under ${store}/dead-letter)` : '') +
        '.\n',
    );
    if (sent === 0) io.stderr.write(`sidetap findings export: no findings ${filter === undefined ? 'are stored' : 'match'} in ${store}.\n`);
    return dead > 0 ? 1 : 0;
  } catch (err) {
    io.stderr.write(`sidetap findings export: ${(err as Error).message.replace(/\.$/, '')}.\n`);
    return 1;
  } finally {
    process.off('SIGINT', stop);
    await sink.close();
  }
}

/** Sends the findings of the store that pass the filter to the sink, a batch at a time; how many were sent. */
export async function exportFindings(store: string, filter: FindingsFilter, sink: Pick<ElasticSink, 'write'>): Promise<number> {
  let sent = 0;
  let batch: Finding[] = [];
  for await (const lines of queryFindingLines(store, filter)) {
    for (const line of lines.toString('utf8').split('\n')) {
      if (line === '') continue;
      batch.push(JSON.parse(line) as Finding);
      if (batch.length < BATCH) continue;
      await sink.write('alert', batch);
      sent += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await sink.write('alert', batch);
  return sent + batch.length;
}
