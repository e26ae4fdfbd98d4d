// Elasticsearch field types of contract fields, and the `esType` metadata a zod field carries when
// its shape alone cannot say how it is indexed (an IP or a date is still a string to zod).

/**
 * How a contract field is indexed. Integers are all `long`, as ECS types every integer field
 * (ports, status codes, byte counts, severity), so sidetap indices never conflict with other ECS
 * indices in a Kibana data view. `text` is free text: a keyword for exact match and aggregation
 * plus a `match_only_text` sub-field for full-text search.
 */
export type FieldType =
  | 'keyword'
  | 'text'
  | 'long'
  | 'float'
  | 'boolean'
  | 'date'
  | 'ip'
  | 'geo_point'
  | 'flattened'
  | 'object';

/** The types only metadata can tell; every other type follows from the zod shape. */
export type FieldTypeHint = 'text' | 'date' | 'ip' | 'geo_point';

// Typed so that `.meta({ esType: ... })` on a contract field only accepts a known hint.
declare module 'zod' {
  interface GlobalMeta {
    /** Elasticsearch type for a field whose zod shape is not enough (see esFieldType.ts). */
    esType?: FieldTypeHint;
  }
}
