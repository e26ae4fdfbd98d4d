// Public face of the geo lookup: the factory, its config schema, result types and credit lines.
export { createGeoLookup, GEO_OPTION_PATH } from './geoLookup';
export type { GeoLookup, GeoLookupDeps, GeoResult } from './geoLookup';
export { geoConfigSchema, GEO_DATABASES } from './geoConfig';
export type { GeoConfig, GeoConfigInput } from './geoConfig';
export type { GeoConfidence, GeoFields, GeoScope } from './geoFields';
export { GEO_COUNTERS, GEO_LOOKUP_COUNTER } from './geoCounters';
export type { GeoOutcome } from './geoCounters';
export { DBIP_ATTRIBUTION, GEOLITE2_ATTRIBUTION } from './attribution';
export { ANYCAST_PREFIXES } from './anycastRanges';
export { RESERVED_IPV4_PREFIXES, RESERVED_IPV6_PREFIXES } from './reservedRanges';
