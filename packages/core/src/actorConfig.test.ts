import { z } from 'zod';
import { actorConfigSchema, createActorKeyOptions, jwtConfigSchema } from './actorConfig';
import { actorIdentity, DEFAULT_API_KEY_HEADERS, DEFAULT_SESSION_COOKIES } from './actorKey';
import { ConfigError } from './config/configError';
import { createRedactor } from './redaction';
import { makeTestKeys, signJwt } from './testJwt';
import type { TestKeys } from './testJwt';

const redactor = createRedactor({ key: Buffer.alloc(32, 7) });

describe('actorConfigSchema', () => {
  it('defaults to the built-in credential names and every supported algorithm, with no verification', () => {
    expect(actorConfigSchema.parse({})).toEqual({
      identityHeaders: [],
      apiKeyHeaders: [...DEFAULT_API_KEY_HEADERS],
      sessionCookies: [...DEFAULT_SESSION_COOKIES],
      jwt: { algorithms: ['RS256', 'ES256', 'HS256', 'PS256', 'EdDSA'], cacheSize: 4096 },
    });
  });

  it('folds header and cookie names to lower case', () => {
    expect(actorConfigSchema.parse({ apiKeyHeaders: [' X-Tenant-Key '], sessionCookies: ['MySess'] })).toMatchObject({ apiKeyHeaders: ['x-tenant-key'], sessionCookies: ['mysess'] });
  });

  it('cannot be configured to accept alg none, and refuses unknown options', () => {
    expect(actorConfigSchema.safeParse({ jwt: { algorithms: ['none'] } }).success).toBe(false);
    expect(actorConfigSchema.safeParse({ jwt: { algorithms: [] } }).success).toBe(false);
    expect(actorConfigSchema.safeParse({ jwt: { keyfile: 'x' } }).success).toBe(false);
    expect(actorConfigSchema.safeParse({ apiKeyHeader: [] }).success).toBe(false);
  });

  it('describes every option', () => {
    const undescribed = (shape: Record<string, z.ZodType>, prefix: string): string[] =>
      Object.entries(shape).filter(([, s]) => s.description === undefined).map(([k]) => `${prefix}${k}`);
    expect([...undescribed(actorConfigSchema.shape, ''), ...undescribed(jwtConfigSchema.shape, 'jwt.')]).toEqual([]);
  });
});

describe('createActorKeyOptions', () => {
  let keys: TestKeys;
  beforeAll(() => {
    keys = makeTestKeys();
  });
  afterAll(() => keys.cleanup());

  it('verifies JWTs only when a key file or JWKS is configured', () => {
    const token = signJwt('EdDSA', keys.ed.privateKey, { sub: 'dan' }, { kid: 'ed' });
    const input = { headers: { authorization: `Bearer ${token}` }, clientIp: '10.0.0.1' };
    const plain = createActorKeyOptions(actorConfigSchema.parse({}), redactor);
    expect(plain.jwtVerifier).toBeUndefined();
    expect(actorIdentity(input, plain).jwt).toBe('unverified');
    const verified = createActorKeyOptions(actorConfigSchema.parse({ jwt: { jwksFile: keys.files.jwks } }), redactor);
    expect(actorIdentity(input, verified)).toMatchObject({ key: 'jwt:dan', jwt: 'verified' });
    const rsaOnly = createActorKeyOptions(actorConfigSchema.parse({ jwt: { jwksFile: keys.files.jwks, algorithms: ['RS256'] } }), redactor);
    expect(actorIdentity(input, rsaOnly)).toMatchObject({ jwt: 'invalid', jwtInvalid: 'alg_not_allowed' });
  });

  it('fails at start-up on a key file it cannot read, naming the option under the given section', () => {
    const config = actorConfigSchema.parse({ jwt: { keyFile: `${keys.dir}/absent.pem` } });
    expect(() => createActorKeyOptions(config, redactor, 'sessionizer.actor')).toThrow(new ConfigError(`${keys.dir}/absent.pem: sessionizer.actor.jwt.keyFile: no such file.`, ''));
  });
});
