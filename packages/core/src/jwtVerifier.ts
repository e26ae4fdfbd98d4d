// Checks a bearer JWT's signature against keys loaded at start-up, so an actor is named by a
// subject its issuer signed rather than one anyone can type into a token.
//
// exp and nbf are not checked against the wall clock: sidetap replays captures that may be months
// old, and a token valid when it was sent must read as valid in the replay. A caller that knows
// the request's event time passes it as `at` (ms) and the times are checked against that.
import { constants, createHmac, timingSafeEqual, verify as verifySignature } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { algorithmFits } from './jwtAlgorithm';
import type { JwtAlgorithm } from './jwtAlgorithm';
import { loadJwksFile, loadKeyFile } from './jwtKeys';
import type { JwtKey } from './jwtKeys';
import { ConfigError } from './config/configError';

export interface JwtVerifierConfig {
  keyFile?: string | undefined;
  jwksFile?: string | undefined;
  algorithms: readonly JwtAlgorithm[];
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Tokens whose verdict is remembered; 0 turns the cache off. */
  cacheSize?: number | undefined;
}

/** Why a token was not accepted; stable names, like capture flags, for detectors and counters. */
export type JwtInvalidReason =
  | 'malformed'
  | 'alg_none'
  | 'alg_not_allowed'
  | 'unsupported_crit'
  | 'unknown_kid'
  | 'no_key'
  | 'bad_signature'
  | 'bad_issuer'
  | 'bad_audience'
  | 'expired'
  | 'not_yet_valid';

/** A verified token with its subject (undefined when it carries none), or why it was refused. */
export type JwtVerdict = { sub: string | undefined } | { invalid: JwtInvalidReason };

export interface JwtVerifier {
  /** `at`: the request's event time in ms; exp and nbf are checked only when it is given. */
  verify(token: string, at?: number): JwtVerdict;
}

interface Claims {
  sub: string | undefined;
  exp: number | undefined;
  nbf: number | undefined;
}
type Checked = { claims: Claims } | { invalid: JwtInvalidReason };

/** Issuer and capture clocks disagree a little; a token is not called expired over that. */
const CLOCK_SKEW_SEC = 60;
/** Longer tokens are verified every time rather than held in the cache. */
const MAX_CACHED_TOKEN_CHARS = 4096;
const DEFAULT_CACHE_SIZE = 4096;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Loads the configured keys (throwing a ConfigError on any fault) and returns the verifier. */
export function createJwtVerifier(config: JwtVerifierConfig, optionPath = 'actor.jwt'): JwtVerifier {
  const keys: JwtKey[] = [];
  if (config.keyFile !== undefined) keys.push(loadKeyFile(config.keyFile, `${optionPath}.keyFile`));
  if (config.jwksFile !== undefined) keys.push(...loadJwksFile(config.jwksFile, `${optionPath}.jwksFile`));
  if (keys.length === 0) {
    throw new ConfigError(`configuration: ${optionPath}: JWT verification needs keyFile or jwksFile.`, 'configuration', optionPath);
  }
  const allowed = new Set<string>(config.algorithms);
  const cacheSize = config.cacheSize ?? DEFAULT_CACHE_SIZE;
  // Insertion order doubles as age: the first key is the oldest and goes first when full.
  const cache = new Map<string, Checked>();

  const check = (token: string): Checked => {
    const d1 = token.indexOf('.');
    const d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1);
    if (d2 < 0 || token.indexOf('.', d2 + 1) >= 0) return { invalid: 'malformed' };
    const h = token.slice(0, d1);
    const p = token.slice(d1 + 1, d2);
    const s = token.slice(d2 + 1);
    // Node's base64url decoder skips stray characters; a strict check keeps one token one spelling.
    if (!BASE64URL.test(h) || !BASE64URL.test(p) || !BASE64URL.test(s)) return { invalid: 'malformed' };
    const header = decodeObject(h);
    if (header === undefined) return { invalid: 'malformed' };
    const alg = header['alg'];
    if (typeof alg === 'string' && alg.toLowerCase() === 'none') return { invalid: 'alg_none' };
    if (typeof alg !== 'string' || !allowed.has(alg)) return { invalid: 'alg_not_allowed' };
    // RFC 7515 §4.1.11: extensions listed in crit must be understood, and we understand none.
    if (header['crit'] !== undefined) return { invalid: 'unsupported_crit' };
    const payload = decodeObject(p);
    if (payload === undefined) return { invalid: 'malformed' };

    const kid = typeof header['kid'] === 'string' ? header['kid'] : undefined;
    let pool = kid === undefined ? keys : keys.filter((k) => k.kid === kid);
    if (pool.length === 0) pool = keys.filter((k) => k.kid === undefined);
    if (pool.length === 0) return { invalid: 'unknown_kid' };
    const jwsAlg = alg as JwtAlgorithm;
    const usable = pool.filter((k) => (k.alg === undefined || k.alg === jwsAlg) && algorithmFits(jwsAlg, k.family));
    if (usable.length === 0) return { invalid: 'no_key' };
    const signingInput = Buffer.from(token.slice(0, d2), 'latin1');
    const signature = Buffer.from(s, 'base64url');
    if (!usable.some((k) => signatureVerifies(jwsAlg, k.key, signingInput, signature))) return { invalid: 'bad_signature' };

    if (config.issuer !== undefined && payload['iss'] !== config.issuer) return { invalid: 'bad_issuer' };
    if (config.audience !== undefined) {
      const aud = payload['aud'];
      if (aud !== config.audience && !(Array.isArray(aud) && aud.includes(config.audience))) return { invalid: 'bad_audience' };
    }
    return { claims: { sub: subjectClaim(payload['sub']), exp: numeric(payload['exp']), nbf: numeric(payload['nbf']) } };
  };

  const cachedCheck = (token: string): Checked => {
    if (cacheSize === 0 || token.length > MAX_CACHED_TOKEN_CHARS) return check(token);
    const hit = cache.get(token);
    if (hit !== undefined) return hit;
    const result = check(token);
    if (cache.size >= cacheSize) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    cache.set(token, result);
    return result;
  };

  return {
    verify(token, at) {
      const checked = cachedCheck(token);
      if ('invalid' in checked) return checked;
      const { claims } = checked;
      if (at !== undefined) {
        const now = at / 1000;
        if (claims.exp !== undefined && now >= claims.exp + CLOCK_SKEW_SEC) return { invalid: 'expired' };
        if (claims.nbf !== undefined && now + CLOCK_SKEW_SEC < claims.nbf) return { invalid: 'not_yet_valid' };
      }
      return { sub: claims.sub };
    },
  };
}

function signatureVerifies(alg: JwtAlgorithm, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    switch (alg) {
      case 'HS256': {
        if (signature.length !== 32) return false;
        return timingSafeEqual(createHmac('sha256', key).update(data).digest(), signature);
      }
      case 'RS256':
        return verifySignature('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'PS256':
        // RFC 7518 §3.5: MGF1 with SHA-256 and a salt as long as the hash.
        return verifySignature('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
      case 'ES256':
        // JWS carries r||s (64 bytes), not the DER that OpenSSL defaults to.
        if (signature.length !== 64) return false;
        return verifySignature('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'EdDSA':
        return verifySignature(null, data, key, signature);
    }
  } catch {
    // A signature of the wrong shape for the key is a bad signature, not a crash.
    return false;
  }
}

/** The `sub` claim as an actor id: a non-empty string, or a number written out. */
export function subjectClaim(sub: unknown): string | undefined {
  if (typeof sub === 'string' && sub !== '') return sub;
  if (typeof sub === 'number' && Number.isFinite(sub)) return String(sub);
  return undefined;
}

function decodeObject(part: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const numeric = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
