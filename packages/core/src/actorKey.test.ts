import { actorIdentity, actorKey, jwtSubject } from './actorKey';
import { createJwtVerifier } from './jwtVerifier';
import type { JwtVerifier } from './jwtVerifier';
import { createRedactor } from './redaction';
import { makeTestKeys, signJwt, withPayload } from './testJwt';
import type { TestKeys } from './testJwt';

const redactor = createRedactor({ key: Buffer.alloc(32, 1) });
const jwt = (payload: object) =>
  `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('actorKey', () => {
  it('uses the JWT subject', () => {
    expect(actorKey({ headers: { authorization: `Bearer ${jwt({ sub: 'alice' })}` }, clientIp: '10.0.0.1' }, { redactor })).toBe('jwt:alice');
  });
  it('hashes an opaque bearer token as an api key, never showing it', () => {
    const key = actorKey({ headers: { authorization: 'Bearer opaque-secret' }, clientIp: '10.0.0.1' }, { redactor });
    expect(key).toBe(`api_key:${redactor.hash('opaque-secret')}`);
  });
  it('hashes a three-part token that is not a JWT, keeping its jwt kind', () => {
    for (const token of ['abc.def.ghi', 'a..b', `x.${Buffer.from('[1,2]').toString('base64url')}.y`, `x.${Buffer.from('{"sub":').toString('base64url')}.y`]) {
      expect(actorKey({ headers: { authorization: `Bearer ${token}` }, clientIp: '10.0.0.1' }, { redactor })).toBe(`jwt:${redactor.hash(token)}`);
    }
    expect(jwtSubject('abc.def.ghi')).toBeUndefined();
    expect(jwtSubject(jwt({ sub: 'x' }) + '.extra')).toBeUndefined();
    expect(jwtSubject(`x.${Buffer.from(' {"sub":42} ').toString('base64url')}.y`)).toBe('42');
    expect(jwtSubject(`x.${Buffer.from('{"sub":""}').toString('base64url')}.y`)).toBeUndefined();
  });
  it('takes the Basic user name', () => {
    const cred = Buffer.from('bob:pw').toString('base64');
    expect(actorKey({ headers: { authorization: `Basic ${cred}` }, clientIp: '10.0.0.1' }, { redactor })).toBe('basic:bob');
  });
  it('uses API key headers and session cookies before the IP', () => {
    expect(actorKey({ headers: { 'x-api-key': 'k1' }, clientIp: '1.2.3.4' }, { redactor })).toBe(`api_key:${redactor.hash('k1')}`);
    expect(actorKey({ headers: { cookie: 'theme=x; SESSIONID=abc' }, clientIp: '1.2.3.4' }, { redactor })).toBe(`cookie:${redactor.hash('abc')}`);
    expect(actorKey({ headers: { cookie: 'theme=x' }, clientIp: '1.2.3.4' }, { redactor })).toBe('ip:1.2.3.4');
  });
});

describe('actorIdentity', () => {
  let keys: TestKeys;
  let verifier: JwtVerifier;
  beforeAll(() => {
    keys = makeTestKeys();
    verifier = createJwtVerifier({ jwksFile: keys.files.jwks, algorithms: ['RS256', 'ES256', 'HS256', 'PS256', 'EdDSA'] });
  });
  afterAll(() => keys.cleanup());
  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` }, clientIp: '10.0.0.9' });

  it('names the actor by a verified subject', () => {
    for (const token of [signJwt('RS256', keys.rsa.privateKey, { sub: 'alice' }, { kid: 'a' }), signJwt('ES256', keys.ec.privateKey, { sub: 'alice' }, { kid: 'ec' })]) {
      expect(actorIdentity(bearer(token), { redactor, jwtVerifier: verifier })).toMatchObject({ key: 'jwt:alice', kind: 'jwt', id: 'alice', jwt: 'verified' });
    }
  });

  it('never names the actor by the subject of a token that fails verification', () => {
    const forged = withPayload(signJwt('RS256', keys.rsa.privateKey, { sub: 'alice' }, { kid: 'a' }), { sub: 'admin' });
    const id = actorIdentity(bearer(forged), { redactor, jwtVerifier: verifier });
    expect(id).toMatchObject({ key: `jwt:${redactor.hash(forged)}`, kind: 'jwt', id: redactor.hash(forged), jwt: 'invalid', jwtInvalid: 'bad_signature' });
    expect(actorKey(bearer(forged), { redactor, jwtVerifier: verifier })).not.toContain('admin');
    const unsigned = signJwt('none', undefined, { sub: 'admin' });
    expect(actorIdentity(bearer(unsigned), { redactor, jwtVerifier: verifier })).toMatchObject({ key: `jwt:${redactor.hash(unsigned)}`, jwt: 'invalid', jwtInvalid: 'alg_none' });
  });

  it('passes the event time to the verifier', () => {
    const token = signJwt('RS256', keys.rsa.privateKey, { sub: 'alice', exp: 1_000 }, { kid: 'a' });
    expect(actorIdentity({ ...bearer(token), at: 900_000 }, { redactor, jwtVerifier: verifier }).key).toBe('jwt:alice');
    expect(actorIdentity({ ...bearer(token), at: 2_000_000 }, { redactor, jwtVerifier: verifier })).toMatchObject({ jwt: 'invalid', jwtInvalid: 'expired' });
  });

  it('keys a verified token without a subject by its hash', () => {
    const token = signJwt('RS256', keys.rsa.privateKey, { scope: 'read' }, { kid: 'a' });
    expect(actorIdentity(bearer(token), { redactor, jwtVerifier: verifier })).toMatchObject({ key: `jwt:${redactor.hash(token)}`, kind: 'jwt', id: redactor.hash(token), jwt: 'verified' });
  });

  it('without a verifier decodes the subject and says it is unverified', () => {
    const forged = withPayload(signJwt('RS256', keys.rsa.privateKey, { sub: 'alice' }), { sub: 'admin' });
    expect(actorIdentity(bearer(forged), { redactor })).toMatchObject({ key: 'jwt:admin', kind: 'jwt', id: 'admin', jwt: 'unverified' });
    expect(actorIdentity(bearer('abc.def.ghi'), { redactor })).toMatchObject({ key: `jwt:${redactor.hash('abc.def.ghi')}`, kind: 'jwt', id: redactor.hash('abc.def.ghi'), jwt: 'unverified' });
  });

  it('reads configured API-key headers and session cookies, then Basic, then the IP', () => {
    const options = { redactor, apiKeyHeaders: ['x-tenant-key'], sessionCookies: ['MySess'] };
    expect(actorIdentity({ headers: { 'x-tenant-key': 'k9', 'x-api-key': 'ignored' }, clientIp: '1.2.3.4' }, options)).toMatchObject({ key: `api_key:${redactor.hash('k9')}`, kind: 'api_key', id: redactor.hash('k9') });
    expect(actorIdentity({ headers: { 'x-api-key': 'not-configured' }, clientIp: '1.2.3.4' }, options).kind).toBe('ip');
    expect(actorIdentity({ headers: { cookie: 'sessionid=x; mysess=s1' }, clientIp: '1.2.3.4' }, options)).toMatchObject({ key: `cookie:${redactor.hash('s1')}`, kind: 'cookie', id: redactor.hash('s1') });
    const basic = `Basic ${Buffer.from('carol:pw').toString('base64')}`;
    expect(actorIdentity({ headers: { authorization: basic, 'x-tenant-key': 'k9' }, clientIp: '1.2.3.4' }, { ...options, jwtVerifier: verifier })).toMatchObject({ key: 'basic:carol', kind: 'basic', id: 'carol' });
    expect(actorIdentity({ headers: { cookie: 'theme=dark' }, clientIp: '2001:db8::1' }, options)).toMatchObject({ key: 'ip:2001:db8::1', kind: 'ip', id: '2001:db8::1' });
  });

  it('reads only the request\'s own headers under a configured name that objects inherit', () => {
    const options = { redactor, apiKeyHeaders: ['constructor', 'tostring'] };
    expect(actorKey({ headers: {}, clientIp: '1.2.3.4' }, options)).toBe('ip:1.2.3.4');
    expect(actorKey({ headers: { constructor: 'k1' } as Record<string, string>, clientIp: '1.2.3.4' }, options)).toBe(`api_key:${redactor.hash('k1')}`);
  });
});

describe('actorIdentity credential facts', () => {
  const redactor = createRedactor({ key: Buffer.alloc(32, 7) });
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

  it('gives the credential hash a redacted body would show, and a JWT alg and time claims', () => {
    const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'mallory', exp: 1700000000, iat: 1699990000 })}.`;
    const id = actorIdentity({ headers: { authorization: `Bearer ${token}` }, clientIp: '10.0.0.1' }, { redactor });
    expect(id.credential).toBe(redactor.hash(token));
    expect(id.jwtFacts).toEqual({ alg: 'none', exp: 1700000000, iat: 1699990000 });
    const key = actorIdentity({ headers: { 'x-api-key': 'k-123' }, clientIp: '10.0.0.1' }, { redactor });
    expect(key).toMatchObject({ kind: 'api_key', credential: redactor.hash('k-123') });
  });

  it('takes a configured gateway identity header before any credential', () => {
    const id = actorIdentity(
      { headers: { 'x-user-id': ' u-42 ', 'x-api-key': 'k-123' }, clientIp: '10.0.0.1' },
      { redactor, identityHeaders: ['x-user-id'] },
    );
    expect(id).toEqual({ key: 'header:u-42', kind: 'header', id: 'u-42' });
  });
});
