import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JWT_ALGORITHMS } from './jwtAlgorithm';
import type { JwtAlgorithm } from './jwtAlgorithm';
import { createJwtVerifier } from './jwtVerifier';
import type { JwtVerifierConfig } from './jwtVerifier';
import { makeTestKeys, signJwt, withPayload } from './testJwt';
import type { TestKeys } from './testJwt';
import { configErrorOf } from './config/testConfigError';

let k: TestKeys;
beforeAll(() => {
  k = makeTestKeys();
});
afterAll(() => k.cleanup());

const verifier = (config: Partial<JwtVerifierConfig>) => createJwtVerifier({ algorithms: [...JWT_ALGORITHMS], ...config });

describe('createJwtVerifier', () => {
  it('verifies each algorithm against its key file', () => {
    const cases: [JwtAlgorithm, string, Parameters<typeof signJwt>[1]][] = [
      ['RS256', k.files.rsaPem, k.rsa.privateKey],
      ['PS256', k.files.rsaPem, k.rsa.privateKey],
      ['ES256', k.files.ecPem, k.ec.privateKey],
      ['EdDSA', k.files.edPem, k.ed.privateKey],
      ['HS256', k.files.hmac, k.hmacSecret],
    ];
    for (const [alg, keyFile, key] of cases) {
      expect([alg, verifier({ keyFile }).verify(signJwt(alg, key, { sub: 'alice' }))]).toEqual([alg, { sub: 'alice' }]);
    }
  });

  it('refuses a token whose payload was changed after signing', () => {
    const v = verifier({ keyFile: k.files.rsaPem });
    const genuine = signJwt('RS256', k.rsa.privateKey, { sub: 'alice' });
    expect(v.verify(withPayload(genuine, { sub: 'admin' }))).toEqual({ invalid: 'bad_signature' });
    const hs = verifier({ keyFile: k.files.hmac });
    expect(hs.verify(withPayload(signJwt('HS256', k.hmacSecret, { sub: 'alice' }), { sub: 'admin' }))).toEqual({ invalid: 'bad_signature' });
  });

  it('never accepts alg none, whatever its spelling', () => {
    const v = verifier({ keyFile: k.files.rsaPem });
    expect(v.verify(signJwt('none', undefined, { sub: 'admin' }))).toEqual({ invalid: 'alg_none' });
    const shouting = `${Buffer.from('{"alg":"NONE"}').toString('base64url')}.${Buffer.from('{"sub":"admin"}').toString('base64url')}.`;
    expect(v.verify(shouting)).toEqual({ invalid: 'alg_none' });
  });

  it('refuses algorithms that are not configured, and keys of the wrong kind for the alg', () => {
    expect(verifier({ keyFile: k.files.ecPem, algorithms: ['RS256'] }).verify(signJwt('ES256', k.ec.privateKey, { sub: 'a' }))).toEqual({ invalid: 'alg_not_allowed' });
    // The classic confusion: HS256 "signed" with the server's RSA public key as the HMAC secret.
    const publicPem = k.rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const forged = signJwt('HS256', Buffer.from(publicPem), { sub: 'admin' });
    expect(verifier({ keyFile: k.files.rsaPem }).verify(forged)).toEqual({ invalid: 'no_key' });
    // An RSA key cannot pass for an EC one.
    expect(verifier({ keyFile: k.files.rsaPem }).verify(signJwt('ES256', k.ec.privateKey, { sub: 'a' }))).toEqual({ invalid: 'no_key' });
  });

  it('selects JWKS keys by kid', () => {
    const v = verifier({ jwksFile: k.files.jwks });
    expect(v.verify(signJwt('RS256', k.rsa2.privateKey, { sub: 'bob' }, { kid: 'b' }))).toEqual({ sub: 'bob' });
    expect(v.verify(signJwt('RS256', k.rsa2.privateKey, { sub: 'bob' }, { kid: 'a' }))).toEqual({ invalid: 'bad_signature' });
    expect(v.verify(signJwt('RS256', k.rsa2.privateKey, { sub: 'bob' }, { kid: 'zzz' }))).toEqual({ invalid: 'unknown_kid' });
    expect(v.verify(signJwt('RS256', k.rsa2.privateKey, { sub: 'bob' }))).toEqual({ sub: 'bob' });
    expect(v.verify(signJwt('ES256', k.ec.privateKey, { sub: 'carol' }, { kid: 'ec' }))).toEqual({ sub: 'carol' });
    expect(v.verify(signJwt('EdDSA', k.ed.privateKey, { sub: 'dan' }, { kid: 'ed' }))).toEqual({ sub: 'dan' });
    expect(v.verify(signJwt('HS256', k.hmacSecret, { sub: 'erin' }, { kid: 'h' }))).toEqual({ sub: 'erin' });
    // Key "a" is declared RS256 only; the encryption key is never used to verify.
    expect(v.verify(signJwt('PS256', k.rsa.privateKey, { sub: 'x' }, { kid: 'a' }))).toEqual({ invalid: 'no_key' });
    expect(v.verify(signJwt('RS256', k.rsa2.privateKey, { sub: 'x' }, { kid: 'enc' }))).toEqual({ invalid: 'unknown_kid' });
  });

  it('tries the key file for a kid the JWKS does not hold', () => {
    const v = verifier({ keyFile: k.files.rsaPem, jwksFile: k.files.jwks });
    expect(v.verify(signJwt('RS256', k.rsa.privateKey, { sub: 'alice' }, { kid: 'rotated' }))).toEqual({ sub: 'alice' });
  });

  it('checks issuer and audience when configured', () => {
    const v = verifier({ keyFile: k.files.rsaPem, issuer: 'https://idp', audience: 'api' });
    const tok = (claims: object) => v.verify(signJwt('RS256', k.rsa.privateKey, { sub: 'a', ...claims }));
    expect(tok({ iss: 'https://idp', aud: 'api' })).toEqual({ sub: 'a' });
    expect(tok({ iss: 'https://idp', aud: ['web', 'api'] })).toEqual({ sub: 'a' });
    expect(tok({ iss: 'https://evil', aud: 'api' })).toEqual({ invalid: 'bad_issuer' });
    expect(tok({ iss: 'https://idp', aud: 'web' })).toEqual({ invalid: 'bad_audience' });
  });

  it('checks exp and nbf only against the event time it is given', () => {
    const v = verifier({ keyFile: k.files.rsaPem });
    const token = signJwt('RS256', k.rsa.privateKey, { sub: 'a', nbf: 1_000, exp: 2_000 });
    expect(v.verify(token)).toEqual({ sub: 'a' });
    expect(v.verify(token, 1_500_000)).toEqual({ sub: 'a' });
    expect(v.verify(token, 2_030_000)).toEqual({ sub: 'a' });
    expect(v.verify(token, 2_061_000)).toEqual({ invalid: 'expired' });
    expect(v.verify(token, 900_000)).toEqual({ invalid: 'not_yet_valid' });
  });

  it('calls a verified token without sub verified, with no subject', () => {
    expect(verifier({ keyFile: k.files.rsaPem }).verify(signJwt('RS256', k.rsa.privateKey, { scope: 'read' }))).toEqual({ sub: undefined });
  });

  it('refuses malformed tokens and critical extensions', () => {
    const v = verifier({ keyFile: k.files.rsaPem });
    const good = signJwt('RS256', k.rsa.privateKey, { sub: 'a' });
    for (const bad of ['a.b', `${good}.x`, 'x.y.z', `${good.slice(0, 5)}*${good.slice(5)}`, `${Buffer.from('[1]').toString('base64url')}.e30.x`]) {
      expect([bad, v.verify(bad)]).toEqual([bad, { invalid: 'malformed' }]);
    }
    expect(v.verify(signJwt('RS256', k.rsa.privateKey, { sub: 'a' }, { crit: ['b64'], b64: false }))).toEqual({ invalid: 'unsupported_crit' });
  });

  it('gives the same verdicts from its cache, however small', () => {
    const v = verifier({ keyFile: k.files.rsaPem, cacheSize: 1 });
    const a = signJwt('RS256', k.rsa.privateKey, { sub: 'a', exp: 100 });
    const forged = withPayload(a, { sub: 'b' });
    for (let i = 0; i < 3; i++) {
      expect(v.verify(a)).toEqual({ sub: 'a' });
      expect(v.verify(a, 500_000)).toEqual({ invalid: 'expired' });
      expect(v.verify(forged)).toEqual({ invalid: 'bad_signature' });
    }
  });
});

describe('createJwtVerifier configuration errors', () => {
  it('names the missing file and the option', () => {
    const missing = join(k.dir, 'missing.pem');
    const err = configErrorOf(() => verifier({ keyFile: missing }));
    expect(err.message).toBe(`${missing}: actor.jwt.keyFile: no such file.`);
    expect(configErrorOf(() => verifier({})).message).toBe('configuration: actor.jwt: JWT verification needs keyFile or jwksFile.');
  });

  it('refuses key files it cannot use', () => {
    const p384 = join(k.dir, 'p384.pem');
    writeFileSync(p384, generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }));
    expect(configErrorOf(() => verifier({ keyFile: p384 })).message).toBe(`${p384}: actor.jwt.keyFile: the key is ec on secp384r1, which verifies none of RS256, ES256, HS256, PS256, EdDSA.`);
    const junkPem = join(k.dir, 'junk.pem');
    writeFileSync(junkPem, '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n');
    expect(configErrorOf(() => verifier({ keyFile: junkPem })).message).toMatch(/^.*junk\.pem: actor\.jwt\.keyFile: not a usable PEM public key \(.+\)\.$/);
    const empty = join(k.dir, 'empty.secret');
    writeFileSync(empty, '\n');
    expect(configErrorOf(() => verifier({ keyFile: empty })).message).toBe(`${empty}: actor.jwt.keyFile: the HMAC secret is empty.`);
  });

  it('refuses JWKS files it cannot use, naming the key', () => {
    const file = join(k.dir, 'bad.jwks.json');
    const jwks = (text: string) => {
      writeFileSync(file, text);
      return configErrorOf(() => verifier({ jwksFile: file })).message;
    };
    expect(jwks('{\n  "keys": [\n}')).toBe(`${file}: actor.jwt.jwksFile: line 3, column 1: unexpected token '}'.`);
    expect(jwks('{"kid": "x"}')).toBe(`${file}: actor.jwt.jwksFile: expected a JWKS, a JSON object with a "keys" list.`);
    expect(jwks('{"keys": [{"kty": "RSA", "kid": "k1", "n": "abc"}]}')).toMatch(/bad\.jwks\.json: actor\.jwt\.jwksFile: key 0 \("k1"\) is not a usable key \(.+\)\.$/);
    expect(jwks('{"keys": [{"kty": "XYZ"}]}')).toBe(`${file}: actor.jwt.jwksFile: key 0 is not a usable key (kty "XYZ" is not RSA, EC, OKP or oct).`);
    expect(jwks('{"keys": []}')).toBe(`${file}: actor.jwt.jwksFile: holds no signature verification key.`);
  });
});
