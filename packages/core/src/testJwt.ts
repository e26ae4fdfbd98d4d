// Real keys and signed JWTs for the verifier and actor key tests, with the key files written to a
// temporary directory the way an operator would provide them.
import { constants, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TestAlg = 'RS256' | 'PS256' | 'ES256' | 'HS256' | 'EdDSA' | 'none';

const b64 = (value: object | string): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A compact JWS over `header` (alg added) and `payload`, signed with `key` as `alg` prescribes. */
export function signJwt(alg: TestAlg, key: KeyObject | Buffer | undefined, payload: object, header: object = {}): string {
  const input = `${b64({ typ: 'JWT', ...header, alg })}.${b64(payload)}`;
  return `${input}.${signature(alg, key, Buffer.from(input)).toString('base64url')}`;
}

function signature(alg: TestAlg, key: KeyObject | Buffer | undefined, data: Buffer): Buffer {
  if (alg === 'none') return Buffer.alloc(0);
  if (key === undefined) throw new Error(`${alg} needs a key`);
  switch (alg) {
    case 'HS256':
      return createHmac('sha256', key).update(data).digest();
    case 'RS256':
      return sign('sha256', data, { key: key as KeyObject, padding: constants.RSA_PKCS1_PADDING });
    case 'PS256':
      return sign('sha256', data, { key: key as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
    case 'ES256':
      return sign('sha256', data, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return sign(null, data, key as KeyObject);
  }
}

/** `token` with its payload replaced and its original signature kept: what a forger sends. */
export function withPayload(token: string, payload: object): string {
  const [h, , s] = token.split('.');
  return `${h}.${b64(payload)}.${s}`;
}

export interface TestKeys {
  dir: string;
  rsa: { privateKey: KeyObject; publicKey: KeyObject };
  rsa2: { privateKey: KeyObject; publicKey: KeyObject };
  ec: { privateKey: KeyObject; publicKey: KeyObject };
  ed: { privateKey: KeyObject; publicKey: KeyObject };
  hmacSecret: Buffer;
  files: { rsaPem: string; ecPem: string; edPem: string; hmac: string; jwks: string };
  cleanup(): void;
}

export function makeTestKeys(): TestKeys {
  const dir = mkdtempSync(join(tmpdir(), 'sidetap-jwt-'));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsa2 = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const hmacSecret = Buffer.from('a-shared-secret-of-at-least-32-bytes!!');
  const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }) as string;
  const path = (name: string) => join(dir, name);
  const files = { rsaPem: path('rsa.pem'), ecPem: path('ec.pem'), edPem: path('ed.pem'), hmac: path('hmac.secret'), jwks: path('jwks.json') };
  writeFileSync(files.rsaPem, pem(rsa.publicKey));
  writeFileSync(files.ecPem, pem(ec.publicKey));
  writeFileSync(files.edPem, pem(ed.publicKey));
  writeFileSync(files.hmac, Buffer.concat([hmacSecret, Buffer.from('\n')]));
  const jwk = (k: KeyObject, extra: object) => ({ ...k.export({ format: 'jwk' }), ...extra });
  writeFileSync(
    files.jwks,
    JSON.stringify({
      keys: [
        jwk(rsa.publicKey, { kid: 'a', alg: 'RS256', use: 'sig' }),
        jwk(rsa2.publicKey, { kid: 'b' }),
        jwk(ec.publicKey, { kid: 'ec' }),
        jwk(ed.publicKey, { kid: 'ed' }),
        { kty: 'oct', kid: 'h', k: hmacSecret.toString('base64url') },
        jwk(rsa2.publicKey, { kid: 'enc', use: 'enc' }),
      ],
    }),
  );
  return { dir, rsa, rsa2, ec, ed, hmacSecret, files, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
