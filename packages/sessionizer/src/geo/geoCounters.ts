// Names of the counters the geo lookup moves, written once so call sites never build strings.

/** What a lookup found; every lookup, cached or not, moves exactly one of these. */
export type GeoOutcome = 'hit' | 'miss' | 'internal' | 'invalid' | 'disabled' | 'error';

export const GEO_LOOKUP_COUNTER: Readonly<Record<GeoOutcome, string>> = {
  /** The database placed the address. */
  hit: 'sessionizer_geo_lookups_total{result="hit"}',
  /** A public address the database does not know. */
  miss: 'sessionizer_geo_lookups_total{result="miss"}',
  /** A private or reserved address, never looked up. */
  internal: 'sessionizer_geo_lookups_total{result="internal"}',
  /** Text that is not an IP address. */
  invalid: 'sessionizer_geo_lookups_total{result="invalid"}',
  /** Geo lookup is turned off in config. */
  disabled: 'sessionizer_geo_lookups_total{result="disabled"}',
  /** The database file could not be read or decoded (see sessionizer_geo_database_failures_total). */
  error: 'sessionizer_geo_lookups_total{result="error"}',
};

export const GEO_COUNTERS = {
  cacheHits: 'sessionizer_geo_cache_hits_total',
  cacheEvicted: 'sessionizer_geo_cache_evicted_total',
  /** A database file that passed the start-up check failed to load or decode later. */
  databaseFailures: 'sessionizer_geo_database_failures_total',
} as const;
