import { geoConfidence, recordGeo } from './geoRecord';

// A DB-IP lite record as the bundled files hold it (flat layout, 32-bit float coordinates).
const dbIpRecord = {
  city: 'Cupertino',
  country_code: 'US',
  latitude: 37.33219909667969,
  longitude: -122.01100158691406,
  postcode: '',
  state1: 'California',
  state2: '',
  timezone: '',
};

// A GeoLite2-City record, shaped as MaxMind documents it (no GeoLite2 file ships with sidetap).
const geoLite2Record = {
  city: { geoname_id: 2643743, names: { de: 'London', en: 'London', fr: 'Londres' } },
  continent: { code: 'EU', geoname_id: 6255148, names: { en: 'Europe' } },
  country: { geoname_id: 2635167, is_in_european_union: false, iso_code: 'GB', names: { en: 'United Kingdom', de: 'Vereinigtes Königreich' } },
  location: { accuracy_radius: 10, latitude: 51.5142, longitude: -0.0931, time_zone: 'Europe/London' },
  postal: { code: 'EC2V' },
  registered_country: { geoname_id: 6252001, iso_code: 'US', names: { en: 'United States' } },
  subdivisions: [{ geoname_id: 6269131, iso_code: 'ENG', names: { en: 'England' } }],
};

describe('recordGeo', () => {
  it('maps the DB-IP flat layout, naming the country from its code', () => {
    expect(recordGeo(dbIpRecord)).toEqual({
      country_iso_code: 'US',
      country_name: 'United States',
      region_name: 'California',
      city_name: 'Cupertino',
      location: { lat: 37.3322, lon: -122.011 },
    });
  });

  it('maps the GeoLite2-City layout', () => {
    expect(recordGeo(geoLite2Record)).toEqual({
      country_iso_code: 'GB',
      country_name: 'United Kingdom',
      region_name: 'England',
      city_name: 'London',
      location: { lat: 51.5142, lon: -0.0931 },
    });
  });

  it('maps a GeoLite2 country-level record, never falling back to the registered country', () => {
    const countryOnly = {
      continent: { code: 'EU', geoname_id: 6255148, names: { en: 'Europe' } },
      country: { geoname_id: 2921044, iso_code: 'DE', names: { en: 'Germany' } },
      location: { accuracy_radius: 1000, latitude: 51.2993, longitude: 9.491, time_zone: 'Europe/Berlin' },
      registered_country: { geoname_id: 2921044, iso_code: 'DE', names: { en: 'Germany' } },
    };
    expect(recordGeo(countryOnly)).toEqual({ country_iso_code: 'DE', country_name: 'Germany', location: { lat: 51.2993, lon: 9.491 } });
    const registeredOnly = { registered_country: { geoname_id: 6252001, iso_code: 'US', names: { en: 'United States' } }, traits: { is_anonymous_proxy: true } };
    expect(recordGeo(registeredOnly)).toBeUndefined();
  });

  it('names the country from its code when a GeoLite2 record has no English name', () => {
    expect(recordGeo({ country: { iso_code: 'JP', names: { ja: '日本' } } })).toEqual({ country_iso_code: 'JP', country_name: 'Japan' });
  });

  it('drops empty strings, out-of-range coordinates and values of the wrong type', () => {
    expect(recordGeo({ ...dbIpRecord, city: '', state1: '', latitude: 91 })).toEqual({ country_iso_code: 'US', country_name: 'United States' });
    expect(recordGeo({ country: { iso_code: 7, names: 'x' }, city: null, subdivisions: 'x', location: { latitude: '1', longitude: 2 } })).toBeUndefined();
    expect(recordGeo(null)).toBeUndefined();
    expect(recordGeo('US')).toBeUndefined();
    expect(recordGeo([dbIpRecord])).toBeUndefined();
  });
});

describe('geoConfidence', () => {
  it('is high for a city-level place', () => {
    const geo = recordGeo(dbIpRecord);
    expect(geo && geoConfidence(geo, false)).toBe('high');
  });

  it('is low for a country-only (centroid) place in either layout', () => {
    // DB-IP lite gives uninhabited territories such as Bouvet Island only a country and its centre.
    const dbIpCountryOnly = recordGeo({ ...dbIpRecord, country_code: 'BV', city: '', state1: '', latitude: -54.420799255371094, longitude: 3.346450090408325 });
    expect(dbIpCountryOnly && geoConfidence(dbIpCountryOnly, false)).toBe('low');
    const geoLite2CountryOnly = recordGeo({ country: { iso_code: 'US', names: { en: 'United States' } }, location: { accuracy_radius: 1000, latitude: 37.751, longitude: -97.822 } });
    expect(geoLite2CountryOnly && geoConfidence(geoLite2CountryOnly, false)).toBe('low');
  });

  it('is low for a region without a city', () => {
    const geo = recordGeo({ ...geoLite2Record, city: undefined });
    expect(geo?.region_name).toBe('England');
    expect(geo && geoConfidence(geo, false)).toBe('low');
  });

  it('is low for an anycast address whatever the record says', () => {
    const geo = recordGeo(geoLite2Record);
    expect(geo && geoConfidence(geo, true)).toBe('low');
  });
});
