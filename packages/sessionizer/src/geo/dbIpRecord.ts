// Maps a record of the DB-IP lite files from @ip-location-db, a flat layout:
// { country_code, state1, state2, city, postcode, latitude, longitude, timezone }.
import { compactGeo, countryNameOf, locationOf } from './geoFields';
import type { GeoFields } from './geoFields';
import { stringField } from './recordFields';

export function isDbIpRecord(record: object): boolean {
  return 'country_code' in record;
}

export function dbIpGeo(record: Readonly<Record<string, unknown>>): GeoFields | undefined {
  const iso = stringField(record['country_code']);
  return compactGeo({
    country_iso_code: iso,
    country_name: iso === undefined ? undefined : countryNameOf(iso),
    // state2 (a second-level division) is rarely filled and ECS has one region field.
    region_name: stringField(record['state1']),
    city_name: stringField(record['city']),
    location: locationOf(record['latitude'], record['longitude']),
  });
}
