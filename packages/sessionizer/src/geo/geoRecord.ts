// Turns one decoded database record, in either supported layout, into a result with its confidence.
import { dbIpGeo, isDbIpRecord } from './dbIpRecord';
import type { GeoConfidence, GeoFields } from './geoFields';
import { geoLite2Geo } from './geoLite2Record';
import { objectField } from './recordFields';

/** The geo fields of a record from a DB-IP flat or a GeoLite2-City file; undefined when it places nothing. */
export function recordGeo(record: unknown): GeoFields | undefined {
  const fields = objectField(record);
  if (fields === undefined) return undefined;
  return isDbIpRecord(fields) ? dbIpGeo(fields) : geoLite2Geo(fields);
}

/**
 * low when the place is coarse or ambiguous. Both layouts give a hit known only to country (or
 * region) level the coordinates of that area's centre and no city, so "no city" is how a
 * centroid is recognised without a table of centroids. An anycast address is low whatever the
 * record says.
 */
export function geoConfidence(geo: GeoFields, anycast: boolean): GeoConfidence {
  return anycast || geo.city_name === undefined ? 'low' : 'high';
}
