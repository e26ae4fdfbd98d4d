// Secrets seen in traffic never leave a stage raw: they are replaced by a keyed hash, so the same
// secret always maps to the same opaque value (for joins) without being recoverable. Request
// cookies are judged one by one; Set-Cookie values are always hashed.
import { createHmac } from 'node:crypto';
import { isSecretCookieName, isSecretCookieValue } from './cookieSecrets';

export const DEFAULT_SECRET_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
  'x-amz-security-token',
] as const;

export interface RedactorOptions {
  /** HMAC key; at least 16 bytes. */
  key: Buffer;
  /** Extra header names (any case) whose values are hashed whole. */
  extraHeaders?: readonly string[];
  /** Cookie names (any case) always hashed, besides those whose name or value looks like a credential (the configured session cookies). */
  secretCookies?: readonly string[];
}

export interface Redactor {
  /** `h:` followed by 22 base64url characters of HMAC-SHA256 (132 bits). */
  hash(value: string): string;
  /** True when values of this lower-case header name are secrets. */
  isSecretHeader(lowerName: string): boolean;
  /** Redacted form of a header value; returns the value unchanged when the header is not secret. */
  redactHeader(lowerName: string, value: string): string;
}

export function createRedactor(options: RedactorOptions): Redactor {
  if (options.key.length < 16) throw new Error('redaction key must be at least 16 bytes');
  const key = options.key;
  const secret = new Set<string>(DEFAULT_SECRET_HEADERS);
  for (const h of options.extraHeaders ?? []) secret.add(h.toLowerCase());

  const hash = (value: string): string =>
    'h:' + createHmac('sha256', key).update(value).digest('base64url').slice(0, 22);

  // Request cookies: credentials (by name or by look) are hashed, ordinary values kept so the
  // injections they may carry stay visible (cookieSecrets.ts says which is which).
  const secretCookies = new Set((options.secretCookies ?? []).map((n) => n.toLowerCase()));
  const redactCookiePairs = (value: string): string =>
    value
      .split(';')
      .map((pair) => {
        const trimmed = pair.trim();
        if (trimmed === '') return trimmed;
        const eq = trimmed.indexOf('=');
        if (eq < 0) return hash(trimmed);
        const name = trimmed.slice(0, eq);
        const cookie = trimmed.slice(eq + 1);
        const lower = name.trim().toLowerCase();
        const secret = secretCookies.has(lower) || isSecretCookieName(lower) || isSecretCookieValue(cookie.trim());
        return secret ? `${name}=${hash(cookie)}` : `${name}=${cookie}`;
      })
      .join('; ');

  const redactSetCookie = (value: string): string => {
    // name=value; attributes... — only the value is secret; attributes describe the cookie.
    const semi = value.indexOf(';');
    const first = semi < 0 ? value : value.slice(0, semi);
    const rest = semi < 0 ? '' : value.slice(semi);
    const eq = first.indexOf('=');
    const redacted = eq < 0 ? hash(first.trim()) : `${first.slice(0, eq).trim()}=${hash(first.slice(eq + 1).trim())}`;
    return redacted + rest;
  };

  const redactCredentials = (value: string): string => {
    const trimmed = value.trim();
    const sp = trimmed.indexOf(' ');
    if (sp < 0) return hash(trimmed);
    return `${trimmed.slice(0, sp)} ${hash(trimmed.slice(sp + 1).trim())}`;
  };

  return {
    hash,
    isSecretHeader: (lowerName) => secret.has(lowerName),
    redactHeader(lowerName, value) {
      if (!secret.has(lowerName)) return value;
      switch (lowerName) {
        case 'cookie':
          return redactCookiePairs(value);
        case 'set-cookie':
          return redactSetCookie(value);
        case 'authorization':
        case 'proxy-authorization':
          return redactCredentials(value);
        default:
          return hash(value);
      }
    },
  };
}
