// What `sidetap es setup` installs: one ILM policy per data stream, a shared settings component
// template, a mappings component template per record kind generated from the core zod schemas
// (so the mapping cannot drift from what the indexer writes), and an index template per kind
// that turns matching names into data streams.
import { ELASTIC_MAPPINGS } from '@sidetap/core';
import type { EsMappings } from '@sidetap/core';
import type { ElasticConfig } from './elasticConfig';
import { dataStreamPattern, ELASTIC_KINDS, INDEX_TEMPLATE_PRIORITY, SHARED_SETTINGS_TEMPLATE, templateNames } from './elasticNames';
import type { ElasticKind } from './elasticNames';

/** Bumped whenever what setup installs changes; stored in each template's `_meta`. */
export const TEMPLATE_VERSION = 1;

const META = { managed_by: 'sidetap', description: 'Installed by `sidetap es setup`; changes are overwritten by the next setup.' };

export interface IlmPolicy {
  name: string;
  policy: {
    _meta: typeof META;
    phases: {
      hot: { actions: { rollover: { max_age: string; max_primary_shard_size: string } } };
      delete: { min_age: string; actions: { delete: Record<string, never> } };
    };
  };
}

export interface ComponentTemplate {
  name: string;
  version: number;
  _meta: typeof META;
  template: { settings?: Record<string, unknown>; mappings?: EsMappings };
}

export interface IndexTemplate {
  name: string;
  index_patterns: string[];
  data_stream: Record<string, never>;
  priority: number;
  composed_of: string[];
  version: number;
  _meta: typeof META;
  template: { settings: Record<string, unknown> };
}

export interface ElasticTemplates {
  policies: IlmPolicy[];
  components: ComponentTemplate[];
  indexTemplates: IndexTemplate[];
}

export function mappingsOf(kind: ElasticKind): EsMappings {
  switch (kind) {
    case 'alert':
      return ELASTIC_MAPPINGS.finding;
    case 'session':
      return ELASTIC_MAPPINGS.session;
    case 'event':
      return ELASTIC_MAPPINGS.event;
  }
}

const RETENTION_OF: Record<ElasticKind, keyof ElasticConfig['retention']> = { alert: 'findings', session: 'sessions', event: 'events' };

export function elasticTemplates(config: ElasticConfig): ElasticTemplates {
  const policies: IlmPolicy[] = [];
  const components: ComponentTemplate[] = [
    {
      name: SHARED_SETTINGS_TEMPLATE,
      version: TEMPLATE_VERSION,
      _meta: META,
      // Findings are few and read often; one shard per backing index keeps small clusters healthy.
      template: { settings: { 'index.number_of_shards': 1, 'index.codec': 'best_compression' } },
    },
  ];
  const indexTemplates: IndexTemplate[] = [];
  for (const kind of ELASTIC_KINDS) {
    const names = templateNames(kind);
    policies.push({
      name: names.policy,
      policy: {
        _meta: META,
        phases: {
          hot: { actions: { rollover: { max_age: config.rollover.maxAge, max_primary_shard_size: config.rollover.maxPrimaryShardSize } } },
          delete: { min_age: config.retention[RETENTION_OF[kind]], actions: { delete: {} } },
        },
      },
    });
    components.push({ name: names.mappings, version: TEMPLATE_VERSION, _meta: META, template: { mappings: mappingsOf(kind) } });
    indexTemplates.push({
      name: names.index,
      index_patterns: [dataStreamPattern(kind)],
      data_stream: {},
      priority: INDEX_TEMPLATE_PRIORITY,
      composed_of: [SHARED_SETTINGS_TEMPLATE, names.mappings],
      version: TEMPLATE_VERSION,
      _meta: META,
      template: { settings: { 'index.lifecycle.name': names.policy } },
    });
  }
  return { policies, components, indexTemplates };
}
