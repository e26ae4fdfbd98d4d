// The saved-object envelope Kibana's import API reads, and the migration versions every object is
// written at: the oldest Kibana that imports them (8.9) migrates them forward, and so does 9.x.
import { dataStreamPattern } from '@sidetap/indexer';
import type { ElasticKind } from '@sidetap/indexer';

export interface SavedObjectReference {
  name: string;
  type: string;
  id: string;
}

export interface SavedObject {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  references: SavedObjectReference[];
  coreMigrationVersion: string;
  typeMigrationVersion: string;
}

/**
 * Kibana refuses an object whose migration version is newer than it knows, and runs every
 * migration from the start on one that has none (legacy migrations that would rewrite these
 * modern shapes). So each type states the format it is written in: the last migration it has in
 * Kibana 8.9, which 8.9+ and 9.x carry forward. Core stopped bumping its own version at 8.8.0.
 */
export const CORE_MIGRATION_VERSION = '8.8.0';

export const TYPE_MIGRATION_VERSIONS = {
  'index-pattern': '8.0.0',
  search: '8.0.0',
  lens: '8.9.0',
  map: '8.1.0',
  dashboard: '8.9.0',
} as const;

export type SavedObjectType = keyof typeof TYPE_MIGRATION_VERSIONS;

export function savedObject(
  type: SavedObjectType,
  id: string,
  attributes: Record<string, unknown>,
  references: SavedObjectReference[] = [],
): SavedObject {
  return { id, type, attributes, references, coreMigrationVersion: CORE_MIGRATION_VERSION, typeMigrationVersion: TYPE_MIGRATION_VERSIONS[type] };
}

/** A data view over one of the data streams the indexer writes (every namespace). */
export interface DataViewRef {
  id: string;
  kind: ElasticKind;
}

export const DATA_VIEWS = {
  findings: { id: 'sidetap-findings', kind: 'alert' },
  events: { id: 'sidetap-events', kind: 'event' },
  sessions: { id: 'sidetap-sessions', kind: 'session' },
} as const satisfies Record<string, DataViewRef>;

/** Values Kibana shows instead of the stored ones (`static_lookup` field formats). */
export type FieldLookups = Record<string, ReadonlyArray<readonly [key: string, value: string]>>;

export function dataView(ref: DataViewRef, name: string, lookups: FieldLookups = {}): SavedObject {
  const fieldFormatMap = Object.fromEntries(
    Object.entries(lookups).map(([field, entries]) => [
      field,
      { id: 'static_lookup', params: { lookupEntries: entries.map(([key, value]) => ({ key, value })), unknownKeyValue: null } },
    ]),
  );
  return savedObject('index-pattern', ref.id, {
    title: dataStreamPattern(ref.kind),
    name,
    timeFieldName: '@timestamp',
    // Lets the data view exist before the indexer has written the first document.
    allowNoIndex: true,
    fieldFormatMap: JSON.stringify(fieldFormatMap),
  });
}

export const kuery = (query = ''): { query: string; language: 'kuery' } => ({ query, language: 'kuery' });
