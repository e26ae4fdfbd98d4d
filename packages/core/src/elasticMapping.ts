// Generates the Elasticsearch index mapping of each contract from its zod schema, so an index
// template can never drift from the records written into it.
import type { z } from 'zod';
import type { FieldType } from './esFieldType';
import { eventSchema } from './event';
import { findingSchema } from './finding';
import { httpExchangeSchema } from './httpExchange';
import { schemaFields } from './schemaFields';
import { sessionSummarySchema } from './sessionSummary';

// Longer strings stay in _source but are not indexed as a keyword: Lucene rejects a whole
// document with a term over 32 KiB, and nobody filters on a 1 KiB body sample by exact value.
export const KEYWORD_IGNORE_ABOVE = 1024;

export type EsLeafMapping =
  | { type: 'keyword'; ignore_above: number }
  | { type: 'keyword'; ignore_above: number; fields: { text: { type: 'match_only_text' } } }
  | { type: 'flattened'; ignore_above: number }
  | { type: 'long' | 'float' | 'boolean' | 'date' | 'ip' | 'geo_point' };

export interface EsObjectMapping {
  properties: Record<string, EsPropertyMapping>;
}

export type EsPropertyMapping = EsLeafMapping | EsObjectMapping;

export interface EsMappings extends EsObjectMapping {
  /**
   * `strict`: a document with a field the mapping does not know is rejected, loudly, by the bulk
   * request. Records are parsed by the same schema before they are written, and zod objects drop
   * unknown keys, so that only happens when code and template drift apart; `false` would instead
   * store such a field silently unsearchable, and `true` would let a stray field fix its own type.
   */
  dynamic: 'strict';
}

/** The `mappings` of an index template for records of an object schema. */
export function elasticMapping(schema: z.ZodObject): EsMappings {
  const root: EsMappings = { dynamic: 'strict', properties: {} };
  // Parents come before their children, so each field's parent object is already in place.
  for (const field of schemaFields(schema)) {
    const dot = field.path.lastIndexOf('.');
    const leaf = field.path.slice(dot + 1);
    let parent: EsObjectMapping = root;
    for (const name of dot < 0 ? [] : field.path.slice(0, dot).split('.')) {
      const next = parent.properties[name];
      if (next === undefined || !('properties' in next)) throw new Error(`${field.path}: parent ${name} is not an object`);
      parent = next;
    }
    parent.properties[leaf] = field.type === 'object' ? { properties: {} } : leafMapping(field.type);
  }
  return root;
}

function leafMapping(type: Exclude<FieldType, 'object'>): EsLeafMapping {
  switch (type) {
    case 'keyword':
      return { type, ignore_above: KEYWORD_IGNORE_ABOVE };
    case 'text':
      // Free text (URLs, user agents, body samples, messages): exact match and aggregations on
      // the keyword, full-text search on `.text`, the multi-field ECS uses for user_agent.original.
      return { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE, fields: { text: { type: 'match_only_text' } } };
    case 'flattened':
      return { type, ignore_above: KEYWORD_IGNORE_ABOVE };
    case 'long':
    case 'float':
    case 'boolean':
    case 'date':
    case 'ip':
    case 'geo_point':
      return { type };
  }
}

/**
 * Index template mappings of the records sidetap writes. Getters build them on use: only
 * `sidetap es setup` and the docs need them, and building all three costs every process that
 * imports core (the CLI, each capture worker) tens of milliseconds at start-up.
 */
export const ELASTIC_MAPPINGS = {
  get exchange(): EsMappings {
    return elasticMapping(httpExchangeSchema);
  },
  get event(): EsMappings {
    return elasticMapping(eventSchema);
  },
  get finding(): EsMappings {
    return elasticMapping(findingSchema);
  },
  get session(): EsMappings {
    return elasticMapping(sessionSummarySchema);
  },
};

/**
 * The paths of a document Elasticsearch would refuse under `dynamic: strict`, or index wrongly: a
 * key the mapping lacks, or an object where the mapping has a plain value.
 */
export function unmappedPaths(doc: Record<string, unknown>, mapping: EsObjectMapping, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    const path = prefix + key;
    const m = mapping.properties[key];
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (m === undefined) out.push(path);
    else if ('properties' in m) {
      for (const v of values) if (v !== null && typeof v === 'object') out.push(...unmappedPaths(v as Record<string, unknown>, m, `${path}.`));
    } else if (m.type !== 'flattened' && m.type !== 'geo_point' && values.some((v) => typeof v === 'object' && v !== null)) {
      out.push(path);
    }
  }
  return out;
}
