// Maps a record in MaxMind's GeoLite2/GeoIP2-City layout (also used by DB-IP's own .mmdb files):
// country.iso_code, country.names.en, subdivisions[0].names.en, city.names.en, location.latitude/longitude.
import { compactGeo, countryNameOf, locationOf } from './geoFields';
import type { GeoFields } from './geoFields';
import { objectField, stringField } from './recordFields';

export function geoLite2Geo(record: Readonly<Record<string, unknown>>): GeoFields | undefined {
  // registered_country is deliberately not a fallback: it is where the network was registered
  // (an anonymous proxy, a satellite provider), not where the client is.
  const country = objectField(record['country']);
  const iso = stringField(country?.['iso_code']);
  const subdivisions = record['subdivisions'];
  const region = Array.isArray(subdivisions) ? objectField(subdivisions[0]) : undefined;
  const location = objectField(record['location']);
  return compactGeo({
    country_iso_code: iso,
    country_name: englishName(country) ?? (iso === undefined ? undefined : countryNameOf(iso)),
    region_name: englishName(region),
    city_name: englishName(objectField(record['city'])),
    location: locationOf(location?.['latitude'], location?.['longitude']),
  });
}

function englishName(place: Readonly<Record<string, unknown>> | undefined): string | undefined {
  return stringField(objectField(place?.['names'])?.['en']);
}
