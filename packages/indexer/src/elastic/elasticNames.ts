// The names sidetap gives things in Elasticsearch. Data streams follow Elastic's
// `<type>-<dataset>-<namespace>` scheme, so Kibana and Fleet treat them like any other logs.

/** The record kinds the indexer writes, as the local store names them too. */
export const ELASTIC_KINDS = ['alert', 'session', 'event'] as const;
export type ElasticKind = (typeof ELASTIC_KINDS)[number];

const DATASETS: Record<ElasticKind, string> = { alert: 'sidetap.findings', session: 'sidetap.sessions', event: 'sidetap.events' };

/** The data stream a kind of record is written to. */
export function dataStreamName(kind: ElasticKind, namespace: string): string {
  return `logs-${DATASETS[kind]}-${namespace}`;
}

/** The index pattern an index template (and a Kibana data view) matches, for every namespace. */
export function dataStreamPattern(kind: ElasticKind): string {
  return `logs-${DATASETS[kind]}-*`;
}

/** Index template, mappings component template and ILM policy of a kind. */
export function templateNames(kind: ElasticKind): { index: string; mappings: string; policy: string } {
  const dataset = DATASETS[kind];
  return { index: dataset, mappings: `${dataset}@mappings`, policy: dataset };
}

/** The component template every sidetap index template shares. */
export const SHARED_SETTINGS_TEMPLATE = 'sidetap@settings';

/**
 * Above the built-in `logs` template (priority 100), which matches `logs-*-*` too: ours must win
 * for these streams or documents would get Elastic's generic logs mapping instead of ours.
 */
export const INDEX_TEMPLATE_PRIORITY = 200;
