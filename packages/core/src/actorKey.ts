// The actor key: who made a request, computed from the raw credentials before they are redacted.
// Identities (a JWT subject, a Basic user name) are kept; secrets (tokens, keys, session ids) are
// keyed-hashed. Issue 3 extends this (verified JWTs, configured identity headers).
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
}

export interface ActorKeyOptions {
  redactor: Redactor;
  apiKeyHeaders?: readonly string[];
  sessionCookies?: readonly string[];
}

export type ActorKind = 'jwt' | 'api_key' | 'cookie' | 'basic' | 'ip';

export function actorKey(input: ActorKeyInput, options: ActorKeyOptions): string {
  const { headers } = input;
  const { redactor } = options;
  const auth = headers['authorization'];
  if (auth !== undefined) {
    const sp = auth.indexOf(' ');
    const scheme = (sp < 0 ? auth : auth.slice(0, sp)).toLowerCase();
    const cred = sp < 0 ? '' : auth.slice(sp + 1).trim();
    if (scheme === 'bearer' && cred !== '') {
      const sub = jwtSubject(cred);
      if (sub !== undefined) return `jwt:${sub}`;
      return `${threeParts(cred) ? 'jwt' : 'api_key'}:${redactor.hash(cred)}`;
    }
    if (scheme === 'basic' && cred !== '') {
      const user = basicUser(cred);
      if (user !== undefined) return `basic:${user}`;
    }
  }
  for (const name of options.apiKeyHeaders ?? DEFAULT_API_KEY_HEADERS) {
    const v = headers[name];
    if (v !== undefined && v !== '') return `api_key:${redactor.hash(v)}`;
  }
  const cookie = headers['cookie'];
  if (cookie !== undefined) {
    const wanted = new Set((options.sessionCookies ?? DEFAULT_SESSION_COOKIES).map((c) => c.toLowerCase()));
    for (const pair of cookie.split(';')) {
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      if (wanted.has(pair.slice(0, eq).trim().toLowerCase())) return `cookie:${redactor.hash(pair.slice(eq + 1).trim())}`;
    }
  }
  return `ip:${input.clientIp}`;
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
  if (claims !== null && typeof claims === 'object' && 'sub' in claims) {
    const sub = (claims as { sub: unknown }).sub;
    if (typeof sub === 'string' && sub !== '') return sub;
    if (typeof sub === 'number') return String(sub);
  }
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
