// `--es URL` on the commands that run the indexer: findings (and session summaries, and events
// when kept) also go to that Elasticsearch, alongside the local store unless the config already
// chose Elasticsearch alone.
import { join } from 'node:path';
import type { SidetapConfig } from './sidetapConfig';
import { UsageError } from './usageError';

export function withElastic(config: SidetapConfig, url: string | undefined): SidetapConfig {
  if (url === undefined) return config;
  const node = elasticNodeUrl(url, '--es');
  const sink = config.indexer.sink === 'local' ? 'both' : config.indexer.sink;
  return { ...config, indexer: { ...config.indexer, sink, elasticsearch: { ...config.indexer.elasticsearch, node } } };
}

/** A node URL from a flag: http(s) only, with a port or not; `host:9200` alone means http. */
export function elasticNodeUrl(text: string, flag: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`${flag}: expected a URL such as http://127.0.0.1:9200, got "${text}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag}: expected an http or https URL, got "${text}".`);
  if (url.username !== '' || url.password !== '') throw new UsageError(`${flag}: put credentials in --api-key or the config, not in the URL (it would show in process lists and logs).`);
  return url.toString().replace(/\/$/, '');
}

/** One line on what reached Elasticsearch, for a run that wrote there; empty otherwise. */
export function elasticSummary(config: SidetapConfig, counters: Record<string, number>, storeDir: string): string {
  if (config.indexer.sink === 'local') return '';
  const es = config.indexer.elasticsearch;
  const n = (name: string): number => counters[name] ?? 0;
  const dead = n('indexer_es_dead_lettered_total');
  return (
    `elasticsearch ${es.node}: ${n('indexer_es_documents_written_total')} documents written to logs-sidetap.*-${es.namespace}, ` +
    `${n('indexer_es_duplicates_total')} already there` +
    (n('indexer_es_retries_total') > 0 ? `, ${n('indexer_es_retries_total')} retried` : '') +
    (dead > 0 ? `, ${dead} rejected for good (kept in ${es.deadLetterFile ?? join(storeDir, 'dead-letter', 'elasticsearch.ndjson')})` : '') +
    '\n'
  );
}
