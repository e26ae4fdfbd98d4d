// The geo fields of an event (ECS source.geo), as the sessionizer fills them from any database layout.
import type { Event } from '@sidetap/core';

export type GeoFields = NonNullable<Event['source']['geo']>;

type SidetapGeo = NonNullable<Event['sidetap']['geo']>;
/** internal: a private or reserved address; public: anything else, known to the database or not. */
export type GeoScope = SidetapGeo['scope'];
export type GeoConfidence = NonNullable<SidetapGeo['confidence']>;

// Intl knows every ISO 3166 region name in English, so layouts that store only the code (DB-IP
// lite) still give Kibana a readable country without a bundled table. Made on first use: making it
// loads ICU's region data (~20 ms at start-up), and traffic from private addresses never asks.
let regionNames: Intl.DisplayNames | undefined;
// Intl takes about a microsecond per name; two-letter codes are at most 26 × 26 entries.
const countryNames = new Map<string, string | undefined>();
const TWO_LETTERS = /^[A-Z]{2}$/;

export function countryNameOf(isoCode: string): string | undefined {
  const known = countryNames.get(isoCode);
  if (known !== undefined || countryNames.has(isoCode)) return known;
  const name = regionName(isoCode);
  if (TWO_LETTERS.test(isoCode)) countryNames.set(isoCode, name);
  return name;
}

function regionName(isoCode: string): string | undefined {
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    return regionNames.of(isoCode);
  } catch {
    return undefined; // not a well-formed region code
  }
}

/**
 * Databases store coordinates as 32-bit floats (37.422000885009766); four decimals (about 11 m)
 * are finer than any IP geolocation and read cleanly in documents.
 */
export function roundCoordinate(degrees: number): number {
  return Math.round(degrees * 1e4) / 1e4;
}

/** A location when both coordinates are finite numbers in range, else undefined. */
export function locationOf(lat: unknown, lon: unknown): GeoFields['location'] {
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return undefined;
  return { lat: roundCoordinate(lat), lon: roundCoordinate(lon) };
}

/** Drops empty strings and absent fields, which exactOptionalPropertyTypes would reject as undefined. */
export function compactGeo(fields: {
  country_iso_code: string | undefined;
  country_name: string | undefined;
  region_name: string | undefined;
  city_name: string | undefined;
  location: GeoFields['location'];
}): GeoFields | undefined {
  const geo: GeoFields = {};
  if (fields.country_iso_code) geo.country_iso_code = fields.country_iso_code;
  if (fields.country_name) geo.country_name = fields.country_name;
  if (fields.region_name) geo.region_name = fields.region_name;
  if (fields.city_name) geo.city_name = fields.city_name;
  if (fields.location) geo.location = fields.location;
  return Object.keys(geo).length === 0 ? undefined : geo;
}
