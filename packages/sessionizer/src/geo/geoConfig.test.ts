import { geoConfigSchema } from './geoConfig';

describe('geoConfigSchema', () => {
  it('defaults to the bundled DB-IP lite files with a 65536-address cache', () => {
    expect(geoConfigSchema.parse({})).toEqual({ enabled: true, database: 'dbip-lite', cacheSize: 65_536 });
  });

  it('accepts a GeoLite2 file with database mmdb', () => {
    expect(geoConfigSchema.parse({ database: 'mmdb', mmdbFile: '/data/GeoLite2-City.mmdb' })).toMatchObject({ database: 'mmdb', mmdbFile: '/data/GeoLite2-City.mmdb' });
  });

  it('names the option when database and mmdbFile disagree', () => {
    const missing = geoConfigSchema.safeParse({ database: 'mmdb' });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues).toEqual([expect.objectContaining({ path: ['mmdbFile'], message: 'is required when database is mmdb' })]);
    const ignored = geoConfigSchema.safeParse({ mmdbFile: '/data/GeoLite2-City.mmdb' });
    expect(ignored.error?.issues).toEqual([expect.objectContaining({ path: ['mmdbFile'] })]);
    const credit = geoConfigSchema.safeParse({ attribution: 'someone' });
    expect(credit.error?.issues).toEqual([expect.objectContaining({ path: ['attribution'] })]);
  });

  it('refuses unknown options and a negative cache', () => {
    expect(geoConfigSchema.safeParse({ cache: 10 }).success).toBe(false);
    expect(geoConfigSchema.safeParse({ cacheSize: -1 }).success).toBe(false);
  });

  it('describes every option', () => {
    for (const [name, field] of Object.entries(geoConfigSchema.shape)) expect([name, field.description]).toEqual([name, expect.any(String)]);
  });
});
