// Passwords and password hashes under password-like names (password, passwd, pwd, passphrase,
// secret, passwordHash) in JSON, forms and `name: value` text; and fields capture already
// redacted (a keyed hash in place of the value), which only their names can speak for.
import { isPasswordName, redactedFieldKind } from './fieldNames';
import type { ScanContext } from './scanContext';

const PASSWORD_WORDS = /pass|pwd|secret/gi;
const REDACTION_HASH = /(?<![A-Za-z0-9_-])h:[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])/g;
const MAX_VALUE = 512;
/** Password-word and redaction-hash matches read per body: bounds what a hostile body costs. */
const MAX_CANDIDATES = 2_000;

function isKeyChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d || c === 0x2e;
}

/** Values that stand in for no password: empty, masks, placeholders. */
const PLACEHOLDERS = new Set(['', 'null', 'none', 'nil', 'undefined', 'redacted', '[redacted]', '<redacted>', '(redacted)', 'hidden', 'masked', '[filtered]', 'filtered', 'n/a', 'na', 'true', 'false', 'password', 'secret', 'changeme?', '<password>', '{password}', '${password}', 'xxx', 'string']);

function isMask(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // * • ● x X # . - _ and spaces
    if (!(c === 0x2a || c === 0x2022 || c === 0x25cf || c === 0x78 || c === 0x58 || c === 0x23 || c === 0x2e || c === 0x2d || c === 0x5f || c === 0x20)) return false;
  }
  return true;
}

const HASH_FORMATS = [
  /^\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}$/, // bcrypt
  /^\$argon2(?:id|i|d)\$/,
  /^\$(?:scrypt|7|[156]|y|gy|sha1|pbkdf2(?:-sha\d+)?)\$/, // scrypt, crypt(3) md5/sha256/sha512, yescrypt
  /^(?:pbkdf2_sha\d+|bcrypt_sha256|argon2|sha1|md5|scrypt)\$/, // Django
  /^\{(?:SSHA|SHA|SSHA256|SSHA512|CRYPT|MD5|SMD5|PBKDF2[^}]*)\}/i, // LDAP
  /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/i, // bare MD5/SHA digests
];

function isPasswordHash(value: string): boolean {
  return HASH_FORMATS.some((re) => re.test(value));
}

/** The value written after a name ending at `from` (`": "x"`, `=x`, `: x`), or undefined. */
function valueAfter(text: string, from: number): { value: string; at: number } | undefined {
  let k = from;
  if (text.charCodeAt(k) === 0x22 || text.charCodeAt(k) === 0x27) k++;
  while (text.charCodeAt(k) === 0x20) k++;
  const sep = text.charCodeAt(k);
  if (sep !== 0x3a && sep !== 0x3d) return undefined;
  k++;
  while (text.charCodeAt(k) === 0x20) k++;
  const q = text.charCodeAt(k);
  if (q === 0x22 || q === 0x27) {
    let e = k + 1;
    const limit = Math.min(text.length, k + 1 + MAX_VALUE);
    while (e < limit && text.charCodeAt(e) !== q) e += text.charCodeAt(e) === 0x5c ? 2 : 1;
    const raw = text.slice(k + 1, Math.min(e, limit));
    return { value: q === 0x22 && raw.includes('\\') ? unescapeJson(raw) : raw, at: k + 1 };
  }
  let e = k;
  const limit = Math.min(text.length, k + 128);
  while (e < limit) {
    const c = text.charCodeAt(e);
    // Space, & , ; < > { } [ ] and quotes end a bare value.
    if (c <= 0x20 || c === 0x26 || c === 0x2c || c === 0x3b || c === 0x3c || c === 0x3e || c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d || c === 0x22 || c === 0x27) break;
    e++;
  }
  return { value: text.slice(k, e), at: k };
}

function unescapeJson(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

export function mayHoldPassword(text: string): boolean {
  PASSWORD_WORDS.lastIndex = 0;
  return PASSWORD_WORDS.test(text);
}

export function scanPasswordFields(ctx: ScanContext): void {
  const text = ctx.text;
  PASSWORD_WORDS.lastIndex = 0;
  let m: RegExpExecArray | null;
  for (let seen = 0; seen < MAX_CANDIDATES && (m = PASSWORD_WORDS.exec(text)) !== null; seen++) {
    let s = m.index;
    let e = m.index + m[0].length;
    const stop = Math.max(0, s - 64);
    while (s > stop && isKeyChar(text.charCodeAt(s - 1))) s--;
    while (e < text.length && e - s < 128 && isKeyChar(text.charCodeAt(e))) e++;
    PASSWORD_WORDS.lastIndex = e;
    const name = text.slice(s, e);
    if (!isPasswordName(name)) continue;
    const found = valueAfter(text, e);
    if (found === undefined) continue;
    // Unquoted `name: value` outside JSON is only a field at the start of a line (YAML, a text
    // page listing credentials); mid-sentence ("Top secret: the launch") it is prose.
    const quoted = s > 0 && (text.charCodeAt(s - 1) === 0x22 || text.charCodeAt(s - 1) === 0x27);
    if (!quoted && !isAssignment(text, e) && !atLineStart(text, s)) continue;
    const value = found.value.trim();
    // Three words or more is a message ("must be at least 8 characters"), not a password.
    if (value.indexOf(' ') !== value.lastIndexOf(' ')) continue;
    if (value.length === 0 || PLACEHOLDERS.has(value.toLowerCase()) || isMask(value) || /^h:[A-Za-z0-9_-]{22}$/.test(value)) continue;
    // A flag or a count ("secret": 0), not a password.
    if (/^-?\d$/.test(value)) continue;
    const field = ctx.fieldAt(found.at).field ?? name;
    if (isPasswordHash(value)) ctx.add('password_hash', field, value, `*** (${hashName(value)})`, 0.9);
    else ctx.add('password_field', field, value, '***', 0.9);
  }
}

function atLineStart(text: string, s: number): boolean {
  for (let k = s - 1; k >= 0 && s - k < 64; k--) {
    const c = text.charCodeAt(k);
    if (c === 0x0a) return true;
    if (c !== 0x20 && c !== 0x09 && c !== 0x2d) return false;
  }
  return s < 64;
}

/** `name=value` (forms, env files, attributes), rather than `name: value`. */
function isAssignment(text: string, e: number): boolean {
  let k = e;
  while (text.charCodeAt(k) === 0x20) k++;
  return text.charCodeAt(k) === 0x3d;
}

function hashName(value: string): string {
  if (value.startsWith('$2')) return 'bcrypt hash';
  if (value.startsWith('$argon2')) return 'argon2 hash';
  if (value.startsWith('{')) return 'LDAP hash';
  if (/^[0-9a-f]+$/i.test(value)) return `${value.length * 4}-bit hex digest`;
  return 'password hash';
}

/** Fields capture redacted, judged by name: a password, SSN, card or private key field that held a value. */
export function scanRedactedFields(ctx: ScanContext): void {
  const text = ctx.text;
  REDACTION_HASH.lastIndex = 0;
  let m: RegExpExecArray | null;
  for (let seen = 0; seen < MAX_CANDIDATES && (m = REDACTION_HASH.exec(text)) !== null; seen++) {
    const at = ctx.fieldAt(m.index);
    const kind = redactedFieldKind(at.name);
    if (kind === undefined) continue;
    ctx.add(kind, at.field ?? at.name, m[0], '(value redacted by capture)', 0.5, { redacted: true });
  }
}
