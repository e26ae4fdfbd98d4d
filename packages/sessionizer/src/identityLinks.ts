// Which user a login names, and which credentials a response hands out: the two halves of tying
// tokens to people. Works on redacted exchanges: issued secrets appear as keyed hashes (h:...),
// the same hashes capture puts in sidetap.credential of the requests that later use them.
import type { HttpExchange } from '@sidetap/core';

/** A keyed hash as the redactor writes it. */
const HASH = /^h:[A-Za-z0-9_-]{8,64}$/;
/** "name": "h:..." pairs in a JSON body sample (also inside nested objects). */
const JSON_HASHED_FIELD = /"([^"\\]{1,64})"\s*:\s*"(h:[A-Za-z0-9_-]{8,64})"/g;
const TOKEN_FIELD = /token|jwt|session|sid|bearer|credential/i;

/** Keyed hashes of the credentials a successful response issues: token fields of its body and Set-Cookie values. */
export function issuedCredentials(ex: HttpExchange): string[] {
  const res = ex.http.response;
  if (res === undefined || res.status_code < 200 || res.status_code >= 400) return [];
  const out = new Set<string>();
  const content = res.body.content;
  // Most bodies hold no hashed secret at all: a substring test spares them the regular expression.
  if (content !== undefined && content.length > 0 && content.length <= 1 << 20 && holdsQuotedHash(content)) {
    for (const m of content.matchAll(JSON_HASHED_FIELD)) if (TOKEN_FIELD.test(m[1]!)) out.add(m[2]!);
  }
  const setCookie = res.headers['set-cookie'];
  if (setCookie !== undefined) {
    // Repeated Set-Cookie fields arrive joined with ", "; each starts name=value.
    for (const part of setCookie.split(/,\s*(?=[^;=\s]+=)/)) {
      const first = part.split(';', 1)[0] ?? '';
      const value = first.slice(first.indexOf('=') + 1).trim();
      if (HASH.test(value)) out.add(value);
    }
  }
  return [...out];
}

/**
 * Whether `"h:` occurs in the text. Searched for from `h:` first: a search stops at every
 * occurrence of its first character, and a quote starts every JSON string, where `h` is rare.
 */
function holdsQuotedHash(text: string): boolean {
  const at = text.indexOf('h:');
  return at >= 0 && text.includes('"h:', Math.max(0, at - 1));
}

/** A password-like field (form or JSON) whose value capture replaced by its keyed hash. */
const HASHED_SECRET_FIELD = /(pass|pwd|secret|otp|pin)[^"=&]{0,24}("\s*:\s*"|=)h:[A-Za-z0-9_-]{8}/i;

/** A login attempt: the body names a user and carries a hashed password-like secret. */
export function loginAttempt(ex: HttpExchange, fields: readonly string[]): { user?: string; outcome: 'success' | 'failure' } | undefined {
  const content = ex.http.request.body.content;
  if (content === undefined || !HASHED_SECRET_FIELD.test(content.slice(0, 1 << 16))) return undefined;
  const status = ex.http.response?.status_code;
  const outcome = status !== undefined && status < 400 ? 'success' : 'failure';
  const user = loginUser(ex, fields);
  return user === undefined ? { outcome } : { user, outcome };
}

/** The user a request logs in as: a configured field of its JSON or form body, if any. */
export function loginUser(ex: HttpExchange, fields: readonly string[]): string | undefined {
  const req = ex.http.request;
  const content = req.body.content;
  if (content === undefined || content.length === 0 || content.length > 1 << 16) return undefined;
  const mime = req.mime_type ?? '';
  if (mime.includes('json') || content.trimStart().startsWith('{')) return fromJson(content, fields);
  if (mime.includes('x-www-form-urlencoded') || /^[\w.%-]+=/.test(content)) return fromForm(content, fields);
  return undefined;
}

function fromJson(content: string, fields: readonly string[]): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(content);
  } catch {
    return undefined;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  for (const f of fields) {
    const v = (body as Record<string, unknown>)[f];
    if (typeof v === 'string') return cleanUser(v);
  }
  return undefined;
}

function fromForm(content: string, fields: readonly string[]): string | undefined {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(content);
  } catch {
    return undefined;
  }
  for (const f of fields) {
    const v = params.get(f);
    if (v !== null) return cleanUser(v);
  }
  return undefined;
}

/** A user name fit to key a timeline: trimmed, bounded, never a hashed secret. */
function cleanUser(v: string): string | undefined {
  const name = v.trim();
  if (name === '' || name.length > 256 || HASH.test(name)) return undefined;
  return name;
}
