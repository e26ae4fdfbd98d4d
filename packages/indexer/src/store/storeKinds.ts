// The record kinds the embedded store keeps, and where each lives under the store directory: a
// directory of segments per kind, and the single NDJSON file of the layout before segments.

export type StoreKind = 'alert' | 'session' | 'event';

export const STORE_KINDS: readonly StoreKind[] = ['alert', 'session', 'event'];

/** `<store>/<dir>/` holds a kind's segments. */
export const STORE_KIND_DIRS = { alert: 'findings', session: 'sessions', event: 'events' } as const satisfies Record<StoreKind, string>;

/** The flat files of the first layout (one per kind, appended forever); still read, and moved into segments by the next writer. */
export const LEGACY_STORE_FILES = { alert: 'findings.ndjson', session: 'sessions.ndjson', event: 'events.ndjson' } as const satisfies Record<
  StoreKind,
  string
>;

/** The name a kind goes by in configuration and messages (`findings`, `sessions`, `events`). */
export function kindName(kind: StoreKind): (typeof STORE_KIND_DIRS)[StoreKind] {
  return STORE_KIND_DIRS[kind];
}
