// Geo lookup of client IPs: reserved ranges answered without a database, the rest from an
// offline City database, with a bounded cache of results per address.
import { LruCache } from '@sidetap/core';
import type { Counters, Logger } from '@sidetap/core';
import { isAnycastAddress } from './anycastRanges';
import { DBIP_ATTRIBUTION, GEOLITE2_ATTRIBUTION } from './attribution';
import { DBIP_PACKAGE, dbIpFiles } from './dbIpFiles';
import type { GeoConfig } from './geoConfig';
import { GEO_COUNTERS, GEO_LOOKUP_COUNTER } from './geoCounters';
import type { GeoOutcome } from './geoCounters';
import type { GeoConfidence, GeoFields, GeoScope } from './geoFields';
import { geoConfidence, recordGeo } from './geoRecord';
import { formatIpv4, formatIpv6, mappedIpv4, parseIp } from './ipAddress';
import { MmdbDatabase } from './mmdbDatabase';
import { isReservedAddress } from './reservedRanges';

/** Where the geo options sit in the config file, for start-up error messages. */
export const GEO_OPTION_PATH = 'sessionizer.geo';

export interface GeoResult {
  /** source.geo of the event; absent for internal, unknown and malformed addresses. */
  readonly geo?: Readonly<GeoFields>;
  readonly scope: GeoScope;
  /** Present when geo is: low for a country- or region-level place or an anycast address. */
  readonly confidence?: GeoConfidence;
}

export interface GeoLookup {
  /** Never throws; results are shared between calls and frozen. */
  lookup(ip: string): GeoResult;
  /** The credit line the database's licence asks for; empty when geo lookup is off. */
  readonly attribution: string;
}

export interface GeoLookupDeps {
  readonly counters: Counters;
  /** Told when a database file fails to load mid-run; a stage's context fits here as it is. */
  readonly logger?: Pick<Logger, 'warn'> | undefined;
}

interface Databases {
  readonly ipv4: MmdbDatabase;
  readonly ipv6: MmdbDatabase;
}

interface CacheEntry {
  readonly result: GeoResult;
  readonly outcome: GeoOutcome;
}

const INTERNAL: CacheEntry = freezeEntry({ scope: 'internal' }, 'internal');
const INVALID: CacheEntry = freezeEntry({ scope: 'public' }, 'invalid');
const DISABLED: CacheEntry = freezeEntry({ scope: 'public' }, 'disabled');
const MISS: CacheEntry = freezeEntry({ scope: 'public' }, 'miss');
const ERROR: CacheEntry = freezeEntry({ scope: 'public' }, 'error');

/**
 * Checks the database files now (a missing or foreign file throws a ConfigError naming the file and
 * option) and reads each one on the first lookup that needs it.
 */
export function createGeoLookup(config: GeoConfig, deps: GeoLookupDeps): GeoLookup {
  const { counters } = deps;
  // Lookups never throw, so a file that breaks after start-up becomes a counter and one warning.
  const onLoadFailure = (message: string): void => {
    counters.inc(GEO_COUNTERS.databaseFailures);
    deps.logger?.warn(message);
  };
  const databases = config.enabled ? openDatabases(config, onLoadFailure) : undefined;
  const cache = new LruCache<string, CacheEntry>(config.cacheSize);

  const resolve = (ip: string): CacheEntry => {
    const address = parseIp(ip);
    if (address === undefined) return INVALID;
    // An IPv4-mapped address is an IPv4 client seen through a dual-stack socket: judge and place
    // it as that IPv4 address (the DB-IP IPv6 file has no records for ::ffff:0:0/96).
    const ipv4 = address.family === 4 ? address.bytes : mappedIpv4(address.bytes);
    const bytes = ipv4 ?? address.bytes;
    if (isReservedAddress(bytes)) return INTERNAL;
    if (databases === undefined) return DISABLED;
    let record: unknown;
    try {
      record = ipv4 !== undefined ? databases.ipv4.get(formatIpv4(ipv4), 4) : databases.ipv6.get(formatIpv6(bytes), 6);
    } catch {
      // An unreadable file (counted once when loading failed) or a record the decoder rejects.
      return ERROR;
    }
    const geo = record === null || record === undefined ? undefined : recordGeo(record);
    if (geo === undefined) return MISS;
    return freezeEntry({ geo, scope: 'public', confidence: geoConfidence(geo, isAnycastAddress(bytes)) }, 'hit');
  };

  return {
    attribution: attributionOf(config),
    lookup(ip: string): GeoResult {
      if (typeof ip !== 'string') {
        counters.inc(GEO_LOOKUP_COUNTER.invalid);
        return INVALID.result;
      }
      const cached = cache.get(ip);
      if (cached !== undefined) {
        counters.inc(GEO_COUNTERS.cacheHits);
        counters.inc(GEO_LOOKUP_COUNTER[cached.outcome]);
        return cached.result;
      }
      const entry = resolve(ip);
      if (cache.set(ip, entry) !== undefined) counters.inc(GEO_COUNTERS.cacheEvicted);
      counters.inc(GEO_LOOKUP_COUNTER[entry.outcome]);
      return entry.result;
    },
  };
}

function openDatabases(config: GeoConfig, onLoadFailure: (message: string) => void): Databases {
  switch (config.database) {
    case 'dbip-lite': {
      const option = `${GEO_OPTION_PATH}.database`;
      const files = dbIpFiles(option);
      const source = { option, remedy: `${option} dbip-lite reads it from the ${DBIP_PACKAGE} package; reinstall sidetap's dependencies or set ${option} to mmdb with an mmdbFile` };
      return { ipv4: new MmdbDatabase(files.ipv4, source, onLoadFailure), ipv6: new MmdbDatabase(files.ipv6, source, onLoadFailure) };
    }
    case 'mmdb': {
      const option = `${GEO_OPTION_PATH}.mmdbFile`;
      // The schema requires mmdbFile with mmdb; this guards a config built without the schema.
      if (config.mmdbFile === undefined) throw new Error(`${option} is required when ${GEO_OPTION_PATH}.database is mmdb.`);
      // One file holds both families (IPv4 as a subtree of the IPv6 tree), loaded once.
      const file = new MmdbDatabase(config.mmdbFile, { option, remedy: `${option} must name a MaxMind DB (.mmdb) City database` }, onLoadFailure);
      return { ipv4: file, ipv6: file };
    }
    default: {
      const unknown: never = config.database;
      throw new Error(`${GEO_OPTION_PATH}.database: unknown database ${String(unknown)}.`);
    }
  }
}

function attributionOf(config: GeoConfig): string {
  if (!config.enabled) return '';
  return config.database === 'dbip-lite' ? DBIP_ATTRIBUTION : (config.attribution ?? GEOLITE2_ATTRIBUTION);
}

function freezeEntry(result: GeoResult, outcome: GeoOutcome): CacheEntry {
  if (result.geo?.location !== undefined) Object.freeze(result.geo.location);
  if (result.geo !== undefined) Object.freeze(result.geo);
  return Object.freeze({ result: Object.freeze(result), outcome });
}
