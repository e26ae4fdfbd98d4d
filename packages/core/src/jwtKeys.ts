// Loads the keys JWT signatures are checked with, once at start-up: a PEM public key or HMAC
// secret file, and a JWKS file. Anything unusable is a ConfigError naming the file.
import { createPublicKey, createSecretKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { ConfigError } from './config/configError';
import { parseJsonText, readFileBytes, readTextFile } from './config/configFile';
import { JWT_ALGORITHMS } from './jwtAlgorithm';
import type { KeyFamily } from './jwtAlgorithm';

export interface JwtKey {
  /** The JWKS `kid`; keys from the key file have none and are tried for any kid. */
  kid: string | undefined;
  /** The JWKS `alg`: when present the key verifies that algorithm only. */
  alg: string | undefined;
  family: KeyFamily;
  key: KeyObject;
}

/**
 * A PEM file (public key, certificate, or private key whose public half is used) becomes a public
 * key; anything else is an HMAC secret, its bytes taken as they are but for trailing line breaks
 * that editors and `echo` add. A PEM is never used as an HMAC secret, which rules out the attack
 * that signs HS256 with the server's public key.
 */
export function loadKeyFile(file: string, option: string): JwtKey {
  const bytes = readFileBytes(file, option);
  if (bytes.includes('-----BEGIN ')) {
    let key: KeyObject;
    try {
      key = createPublicKey(bytes);
    } catch (err) {
      throw new ConfigError(`${file}: ${option}: not a usable PEM public key (${(err as Error).message}).`, file, option);
    }
    const family = familyOf(key);
    if (family === undefined) {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const type = `${key.asymmetricKeyType ?? key.type}${curve === undefined ? '' : ` on ${curve}`}`;
      throw new ConfigError(`${file}: ${option}: the key is ${type}, which verifies none of ${JWT_ALGORITHMS.join(', ')}.`, file, option);
    }
    return { kid: undefined, alg: undefined, family, key };
  }
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  if (end === 0) throw new ConfigError(`${file}: ${option}: the HMAC secret is empty.`, file, option);
  return { kid: undefined, alg: undefined, family: 'hmac', key: createSecretKey(bytes.subarray(0, end)) };
}

export function loadJwksFile(file: string, option: string): JwtKey[] {
  const jwks = parseJsonText(readTextFile(file, option), file, option);
  const entries = isObject(jwks) && Array.isArray(jwks['keys']) ? (jwks['keys'] as unknown[]) : undefined;
  if (entries === undefined) throw new ConfigError(`${file}: ${option}: expected a JWKS, a JSON object with a "keys" list.`, file, option);
  const keys: JwtKey[] = [];
  entries.forEach((entry, i) => {
    const key = jwkKey(entry, i, file, option);
    if (key !== undefined) keys.push(key);
  });
  if (keys.length === 0) throw new ConfigError(`${file}: ${option}: holds no signature verification key.`, file, option);
  return keys;
}

/** One JWKS entry as a key; undefined for encryption keys and curves no supported algorithm uses. */
function jwkKey(entry: unknown, index: number, file: string, option: string): JwtKey | undefined {
  const label = `key ${index}`;
  if (!isObject(entry)) throw new ConfigError(`${file}: ${option}: ${label} is not a JSON object.`, file, option);
  const kid = typeof entry['kid'] === 'string' ? entry['kid'] : undefined;
  const alg = typeof entry['alg'] === 'string' ? entry['alg'] : undefined;
  const named = kid === undefined ? label : `${label} ("${kid}")`;
  if (entry['use'] === 'enc') return undefined;
  let key: KeyObject;
  try {
    switch (entry['kty']) {
      case 'oct':
        if (typeof entry['k'] !== 'string' || entry['k'] === '') throw new Error('no "k"');
        key = createSecretKey(Buffer.from(entry['k'], 'base64url'));
        break;
      case 'RSA':
      case 'EC':
      case 'OKP':
        key = createPublicKey({ key: entry as JsonWebKey, format: 'jwk' });
        break;
      default:
        throw new Error(`kty ${JSON.stringify(entry['kty'])} is not RSA, EC, OKP or oct`);
    }
  } catch (err) {
    throw new ConfigError(`${file}: ${option}: ${named} is not a usable key (${(err as Error).message}).`, file, option);
  }
  const family = familyOf(key);
  return family === undefined ? undefined : { kid, alg, family, key };
}

function familyOf(key: KeyObject): KeyFamily | undefined {
  if (key.type === 'secret') return 'hmac';
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'rsa';
    case 'rsa-pss':
      return 'rsa-pss';
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'ec-p256' : undefined;
    case 'ed25519':
    case 'ed448':
      return 'eddsa';
    default:
      return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
