// The actor key: who made a request, computed from the raw credentials before they are redacted.
// Identities (a JWT subject, a Basic user name) are kept; secrets (tokens, keys, session ids) are
// keyed-hashed. A JWT's subject is trusted only as far as it was checked: with a verifier, a token
// that fails verification is named by its hash, never by the subject it claims.
import type { JwtInvalidReason, JwtVerifier } from './jwtVerifier';
import { subjectClaim } from './jwtVerifier';
import { jwtFacts } from './jwtClaims';
import type { JwtFacts } from './jwtClaims';
import type { Redactor } from './redaction';

export const DEFAULT_API_KEY_HEADERS = ['x-api-key', 'api-key', 'x-auth-token', 'x-access-token'] as const;
export const DEFAULT_SESSION_COOKIES = [
  'sessionid',
  'session',
  'sid',
  'jsessionid',
  'phpsessid',
  'connect.sid',
  'asp.net_sessionid',
  '_session_id',
] as const;

export interface ActorKeyInput {
  /** Raw (unredacted) request headers, lower-case names. */
  headers: Readonly<Record<string, string>>;
  clientIp: string;
  /** The request's event time in ms; lets a verifier check a token's exp and nbf. */
  at?: number | undefined;
}

export interface ActorKeyOptions {
  redactor: Redactor;
  /** Headers a gateway sets to the authenticated user (X-User-Id): tried first, their value is the actor's id. */
  identityHeaders?: readonly string[] | undefined;
  apiKeyHeaders?: readonly string[] | undefined;
  sessionCookies?: readonly string[] | undefined;
  /** When given, bearer JWTs are verified and only a verified subject names the actor. */
  jwtVerifier?: JwtVerifier | undefined;
}

export type ActorKind = 'header' | 'jwt' | 'api_key' | 'cookie' | 'basic' | 'ip';

/** How far a JWT's subject was checked: signed by a configured key, not checked, or refused. */
export type JwtStatus = 'verified' | 'unverified' | 'invalid';

export interface ActorIdentity {
  /** `<kind>:<id>`, the value of sidetap.actor_key. */
  key: string;
  kind: ActorKind;
  id: string;
  /** Present when the credential was a three-part bearer token. */
  jwt?: JwtStatus;
  /** Why the token was refused, when `jwt` is 'invalid'. */
  jwtInvalid?: JwtInvalidReason;
  /**
   * Keyed hash of the credential itself (token, API key, session cookie value): the same value
   * a redacted body or Set-Cookie shows for it, so a login response can be tied to later requests.
   */
  credential?: string;
  /** A JWT's alg and time claims (not secret), when the credential is one. */
  jwtFacts?: JwtFacts;
}

export function actorKey(input: ActorKeyInput, options: ActorKeyOptions): string {
  return actorIdentity(input, options).key;
}

/** The actor of a request with how it was established; a pure function of headers, IP and time. */
export function actorIdentity(input: ActorKeyInput, options: ActorKeyOptions): ActorIdentity {
  const { headers } = input;
  const { redactor } = options;
  // The gateway in front of the API authenticated this request and says who it is.
  for (const name of options.identityHeaders ?? []) {
    const v: unknown = headers[name];
    if (typeof v === 'string' && v.trim() !== '') return identity('header', v.trim());
  }
  const auth = headers['authorization'];
  if (auth !== undefined) {
    const sp = auth.indexOf(' ');
    const scheme = (sp < 0 ? auth : auth.slice(0, sp)).toLowerCase();
    const cred = sp < 0 ? '' : auth.slice(sp + 1).trim();
    if (scheme === 'bearer' && cred !== '') {
      if (threeParts(cred)) return jwtIdentity(cred, input, options);
      return secretIdentity('api_key', redactor.hash(cred));
    }
    if (scheme === 'basic' && cred !== '') {
      const user = basicUser(cred);
      if (user !== undefined) return identity('basic', user);
    }
  }
  for (const name of options.apiKeyHeaders ?? DEFAULT_API_KEY_HEADERS) {
    // A configured name the prototype offers ("constructor") reads a function, not a header.
    const v: unknown = headers[name];
    if (typeof v === 'string' && v !== '') return secretIdentity('api_key', redactor.hash(v));
  }
  const cookie = headers['cookie'];
  if (cookie !== undefined) {
    const wanted = lowerCaseSet(options.sessionCookies ?? DEFAULT_SESSION_COOKIES);
    for (const pair of cookie.split(';')) {
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      if (wanted.has(pair.slice(0, eq).trim().toLowerCase())) return secretIdentity('cookie', redactor.hash(pair.slice(eq + 1).trim()));
    }
  }
  return identity('ip', input.clientIp);
}

function jwtIdentity(token: string, input: ActorKeyInput, options: ActorKeyOptions): ActorIdentity {
  const verifier = options.jwtVerifier;
  const credential = options.redactor.hash(token);
  const facts = jwtFacts(token);
  const extra = facts === undefined ? { credential } : { credential, jwtFacts: facts };
  if (verifier === undefined) {
    const id = jwtSubject(token) ?? credential;
    return { key: `jwt:${id}`, kind: 'jwt', id, jwt: 'unverified', ...extra };
  }
  const verdict = verifier.verify(token, input.at);
  if ('invalid' in verdict) {
    // Anyone can write any `sub` into a token; only the signature makes it the issuer's word.
    return { key: `jwt:${credential}`, kind: 'jwt', id: credential, jwt: 'invalid', jwtInvalid: verdict.invalid, ...extra };
  }
  const id = verdict.sub ?? credential;
  return { key: `jwt:${id}`, kind: 'jwt', id, jwt: 'verified', ...extra };
}

const identity = (kind: ActorKind, id: string): ActorIdentity => ({ key: `${kind}:${id}`, kind, id });
/** An actor known only by a secret: its id is the secret's keyed hash, which is also its credential. */
const secretIdentity = (kind: ActorKind, hash: string): ActorIdentity => ({ key: `${kind}:${hash}`, kind, id: hash, credential: hash });

// Options live for the life of a stage; their cookie names are folded once, not per request.
const lowerCaseSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function lowerCaseSet(names: readonly string[]): ReadonlySet<string> {
  let set = lowerCaseSets.get(names);
  if (set === undefined) {
    set = new Set(names.map((n) => n.toLowerCase()));
    lowerCaseSets.set(names, set);
  }
  return set;
}

/** The `sub` claim of a JWT, decoded without verification; undefined when it is not a JWT. */
export function jwtSubject(token: string): string | undefined {
  const dot1 = token.indexOf('.');
  const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
  if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) return undefined;
  const payload = Buffer.from(token.slice(dot1 + 1, dot2), 'base64url').toString('utf8');
  // Only a JSON object can carry `sub`: anything else is answered without parsing (or throwing).
  if (!bracedByOwsTrimmed(payload)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (claims !== null && typeof claims === 'object' && 'sub' in claims) return subjectClaim(claims.sub);
  return undefined;
}

/** header.payload.signature: exactly two dots. */
function threeParts(token: string): boolean {
  const dot1 = token.indexOf('.');
  const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
  return dot2 >= 0 && token.indexOf('.', dot2 + 1) < 0;
}

/** Whether `text`, without the whitespace JSON allows around a value, starts with { and ends with }. */
function bracedByOwsTrimmed(text: string): boolean {
  let a = 0;
  let b = text.length;
  while (a < b && isJsonSpace(text.charCodeAt(a))) a++;
  while (b > a && isJsonSpace(text.charCodeAt(b - 1))) b--;
  return b - a >= 2 && text.charCodeAt(a) === 0x7b && text.charCodeAt(b - 1) === 0x7d;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function basicUser(cred: string): string | undefined {
  const decoded = Buffer.from(cred, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return decoded.slice(0, colon);
}
