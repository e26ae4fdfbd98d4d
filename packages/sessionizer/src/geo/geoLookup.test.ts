import fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, Counters } from '@sidetap/core';
import { DBIP_ATTRIBUTION, GEOLITE2_ATTRIBUTION } from './attribution';
import { geoConfigSchema } from './geoConfig';
import type { GeoConfigInput } from './geoConfig';
import { GEO_COUNTERS, GEO_LOOKUP_COUNTER } from './geoCounters';
import { createGeoLookup } from './geoLookup';
import type { GeoLookup } from './geoLookup';

const make = (input: GeoConfigInput = {}): { geo: GeoLookup; counters: Counters } => {
  const counters = new Counters();
  return { geo: createGeoLookup(geoConfigSchema.parse(input), { counters }), counters };
};

// One lookup object for the tests that read the bundled files, so each file is read once.
const shared = make();

describe('createGeoLookup with the bundled DB-IP lite files', () => {
  // Large, long-standing allocations whose country is not expected to move between releases:
  // Apple's 17/8, the University of Tokyo, the RIPE NCC, WIDE (JP), NIC.br and Hetzner.
  it.each([
    ['17.253.144.10', 'US', 'United States'],
    ['133.11.0.1', 'JP', 'Japan'],
    ['193.0.0.1', 'NL', 'Netherlands'],
    ['2001:200::1', 'JP', 'Japan'],
    ['2001:67c:2e8::1', 'NL', 'Netherlands'],
    ['2001:12ff::1', 'BR', 'Brazil'],
  ])('places %s in %s', (ip, iso, name) => {
    const result = shared.geo.lookup(ip);
    expect(result.scope).toBe('public');
    expect(result.confidence).toBe('high');
    expect(result.geo).toMatchObject({ country_iso_code: iso, country_name: name, city_name: expect.any(String), location: { lat: expect.any(Number), lon: expect.any(Number) } });
  });

  it('places an IPv4-mapped address with the IPv4 database', () => {
    expect(shared.geo.lookup('::ffff:17.253.144.10')).toEqual(shared.geo.lookup('17.253.144.10'));
  });

  it.each(['10.1.2.3', '172.20.0.1', '192.168.1.1', '127.0.0.1', '169.254.169.254', '100.64.1.1', '0.0.0.0', '192.0.2.10', '198.51.100.1', '203.0.113.1', '198.18.5.5', '224.0.0.1', '240.1.1.1', '255.255.255.255', '::1', '::', 'fd00::1', 'fe80::1%eth0', 'ff02::fb', '2001:db8::1', '64:ff9b::a00:1', '::ffff:10.0.0.1', '::ffff:192.168.0.1'])(
    '%s is internal and never placed',
    (ip) => {
      expect(shared.geo.lookup(ip)).toEqual({ scope: 'internal' });
    },
  );

  it.each(['1.1.1.1', '8.8.8.8', '9.9.9.9', '208.67.222.222', '::ffff:8.8.4.4', '2606:4700:4700::1111', '2001:4860:4860::8888'])('%s is anycast: low confidence', (ip) => {
    const result = shared.geo.lookup(ip);
    expect(result.scope).toBe('public');
    expect(result.geo?.country_iso_code).toEqual(expect.any(String));
    expect(result.confidence).toBe('low');
  });

  it('credits DB-IP', () => {
    expect(shared.geo.attribution).toBe(DBIP_ATTRIBUTION);
    expect(DBIP_ATTRIBUTION).toContain('IP Geolocation by DB-IP');
    expect(DBIP_ATTRIBUTION).toContain('https://db-ip.com');
  });
});

describe('createGeoLookup bookkeeping', () => {
  it('never throws on malformed input, answering public without geo and counting it invalid', () => {
    const { geo, counters } = make();
    for (const ip of ['', 'not-an-ip', '1.2.3.256', '1::2::3', '10.0.0.1 ', '[::1]', undefined as unknown as string, 42 as unknown as string]) {
      expect(geo.lookup(ip)).toEqual({ scope: 'public' });
    }
    expect(counters.get(GEO_LOOKUP_COUNTER.invalid)).toBe(8);
  });

  it('counts every lookup by result and the ones served from the cache', () => {
    const { geo, counters } = make();
    geo.lookup('17.253.144.10');
    geo.lookup('17.253.144.10');
    geo.lookup('10.0.0.1');
    geo.lookup('10.0.0.1');
    geo.lookup('10.0.0.1');
    expect(counters.snapshot()).toEqual({
      [GEO_LOOKUP_COUNTER.hit]: 2,
      [GEO_LOOKUP_COUNTER.internal]: 3,
      [GEO_COUNTERS.cacheHits]: 3,
    });
  });

  it('bounds the cache and counts evictions', () => {
    const { geo, counters } = make({ cacheSize: 2 });
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1']) geo.lookup(ip);
    expect(counters.get(GEO_COUNTERS.cacheEvicted)).toBe(2);
    expect(counters.get(GEO_COUNTERS.cacheHits)).toBe(0);
  });

  it('returns frozen results, since cached ones are shared between events', () => {
    const result = shared.geo.lookup('133.11.0.1');
    expect(Object.isFrozen(result)).toBe(true);
    expect(Object.isFrozen(result.geo)).toBe(true);
    expect(Object.isFrozen(result.geo?.location)).toBe(true);
  });

  it('reads a family\'s file only when an address of that family is first looked up', () => {
    const read = jest.spyOn(fs, 'readFileSync');
    try {
      const { geo } = make();
      expect(read).not.toHaveBeenCalled();
      geo.lookup('10.0.0.1');
      geo.lookup('::1');
      expect(read).not.toHaveBeenCalled();
      geo.lookup('133.11.0.1');
      geo.lookup('::ffff:193.0.0.1');
      expect(read.mock.calls.map(([file]) => String(file))).toEqual([expect.stringMatching(/dbip-city-ipv4\.mmdb$/)]);
    } finally {
      read.mockRestore();
    }
  });

  it('answers only internal or public when turned off, reading no file', () => {
    const { geo, counters } = make({ enabled: false });
    expect(geo.lookup('133.11.0.1')).toEqual({ scope: 'public' });
    expect(geo.lookup('192.168.0.1')).toEqual({ scope: 'internal' });
    expect(geo.attribution).toBe('');
    expect(counters.get(GEO_LOOKUP_COUNTER.disabled)).toBe(1);
  });
});

describe('createGeoLookup with an mmdb file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sidetap-geo-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails at start-up with one sentence naming a missing file and the option', () => {
    const file = join(dir, 'GeoLite2-City.mmdb');
    const start = (): unknown => make({ database: 'mmdb', mmdbFile: file });
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(`${file}: file not found; sessionizer.geo.mmdbFile must name a MaxMind DB (.mmdb) City database.`);
  });

  it('fails at start-up on a file that is not a MaxMind DB', () => {
    const file = join(dir, 'notes.mmdb');
    writeFileSync(file, 'not a database\n');
    expect(() => make({ database: 'mmdb', mmdbFile: file })).toThrow(
      `${file}: not a MaxMind DB file (no metadata section found); sessionizer.geo.mmdbFile must name a MaxMind DB (.mmdb) City database.`,
    );
    expect(() => make({ database: 'mmdb', mmdbFile: dir })).toThrow(`${dir}: not a file;`);
  });

  it('counts a file that passes the start-up check but cannot be decoded, without throwing', () => {
    const file = join(dir, 'corrupt.mmdb');
    writeFileSync(file, Buffer.concat([Buffer.alloc(64, 7), Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'), Buffer.from([0xff, 0xff])]));
    const counters = new Counters();
    const warnings: unknown[] = [];
    const geo = createGeoLookup(geoConfigSchema.parse({ database: 'mmdb', mmdbFile: file }), { counters, logger: { warn: (message: unknown) => void warnings.push(message) } });
    expect(geo.attribution).toBe(GEOLITE2_ATTRIBUTION);
    expect(geo.lookup('133.11.0.1')).toEqual({ scope: 'public' });
    expect(geo.lookup('2001:200::1')).toEqual({ scope: 'public' });
    expect(counters.get(GEO_LOOKUP_COUNTER.error)).toBe(2);
    expect(counters.get(GEO_COUNTERS.databaseFailures)).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0])).toContain(`${file}: cannot be loaded (`);
    expect(String(warnings[0])).toContain('); sessionizer.geo.mmdbFile must name a MaxMind DB (.mmdb) City database.');
  });

  it('uses the configured credit line', () => {
    const file = join(dir, 'corrupt.mmdb');
    expect(make({ database: 'mmdb', mmdbFile: file, attribution: 'Data from Example' }).geo.attribution).toBe('Data from Example');
  });
});
