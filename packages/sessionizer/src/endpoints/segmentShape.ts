// Stateless shape rules: which path segments are values (ids, uuids, hashes, dates, emails, IPs)
// rather than route names, decided by one char scan per segment instead of a regex per shape.

/** Slot names a learned template uses in place of a value. */
export const SLOTS = {
  /** Decimal integer, e.g. `123`. */
  id: '{id}',
  /** RFC 4122 layout, 8-4-4-4-12 hex digits, any case. */
  uuid: '{uuid}',
  /** Hex digest or base64url token, at least 16 chars mixing digits and letters. */
  hash: '{hash}',
  /** `2024-05-01`, `20240501` or an ISO timestamp starting with a date. */
  date: '{date}',
  /** `alice@example.com`, also with the `@` percent-encoded as `%40`. */
  email: '{email}',
  /** Dotted-quad IPv4 address. */
  ip: '{ip}',
  /** A position learned to hold many distinct values, or a segment too long to be a route name. */
  param: '{param}',
  /** Everything past the segment cap. */
  rest: '{...}',
} as const;

export type Slot = (typeof SLOTS)[keyof typeof SLOTS];

/** Segments longer than this are never shape-scanned nor kept as literals: no route name is this long. */
export const MAX_LITERAL_LENGTH = 256;

const MIN_HASH_LENGTH = 16;

// Character classes of the scan, as bits so one pass records which classes a segment holds.
const DIGIT = 1;
const HEX_LOWER = 2; // a-f
const HEX_UPPER = 4; // A-F
const LOWER = 8; // g-z
const UPPER = 16; // G-Z
const DASH = 32;
const UNDERSCORE = 64;
const DOT = 128;
const AT = 256;
const PERCENT = 512;
const OTHER = 1024;

const CLASS_OF = new Uint16Array(128).fill(OTHER);
for (let c = 48; c <= 57; c++) CLASS_OF[c] = DIGIT;
for (let c = 97; c <= 102; c++) CLASS_OF[c] = HEX_LOWER;
for (let c = 103; c <= 122; c++) CLASS_OF[c] = LOWER;
for (let c = 65; c <= 70; c++) CLASS_OF[c] = HEX_UPPER;
for (let c = 71; c <= 90; c++) CLASS_OF[c] = UPPER;
CLASS_OF[45] = DASH;
CLASS_OF[95] = UNDERSCORE;
CLASS_OF[46] = DOT;
CLASS_OF[64] = AT;
CLASS_OF[37] = PERCENT;

const HEX = DIGIT | HEX_LOWER | HEX_UPPER;
const LETTERS = HEX_LOWER | HEX_UPPER | LOWER | UPPER;
const BASE64URL = DIGIT | LETTERS | DASH | UNDERSCORE;
const LOWERCASE = HEX_LOWER | LOWER;

/** The slot a segment's shape puts it in, or undefined when it looks like a route name. */
export function shapeSlot(segment: string): Slot | undefined {
  const n = segment.length;
  if (n === 0 || n > MAX_LITERAL_LENGTH) return undefined;
  let classes = 0;
  // Runs of lowercase letters: in a random token they average under 2 chars, in camelCase
  // route names they are words, which keeps `listOrdersV2ForCustomer` a literal while
  // `Zk3x9QmT7aPw2LrB` is a token.
  let lowers = 0;
  let lowerRuns = 0;
  let prevLower = false;
  for (let i = 0; i < n; i++) {
    const c = segment.charCodeAt(i);
    const cls = c < 128 ? (CLASS_OF[c] ?? OTHER) : OTHER;
    classes |= cls;
    if (cls & LOWERCASE) {
      lowers++;
      if (!prevLower) lowerRuns++;
      prevLower = true;
    } else {
      prevLower = false;
    }
  }
  // Every shape holds a digit or an `@` (raw or as %40): a plain word is done here.
  if ((classes & (DIGIT | AT | PERCENT)) === 0) return undefined;

  if (classes === DIGIT) return n === 8 && isDate(segment, 0, false) ? SLOTS.date : SLOTS.id;
  if (n === 36 && (classes & ~(HEX | DASH)) === 0 && isUuid(segment)) return SLOTS.uuid;
  if (n >= 10 && isDate(segment, 0, true) && (n === 10 || segment.charCodeAt(10) === 84 /* T */)) return SLOTS.date;
  if ((classes & ~(DIGIT | DOT)) === 0 && isIpv4(segment)) return SLOTS.ip;
  if (classes & (AT | PERCENT) && isEmail(segment)) return SLOTS.email;
  if (n >= MIN_HASH_LENGTH && (classes & DIGIT) !== 0 && (classes & ~BASE64URL) === 0) {
    if ((classes & ~HEX) === 0) return SLOTS.hash;
    const mixedCase = lowerRuns > 0 && (classes & (HEX_UPPER | UPPER)) !== 0;
    if (mixedCase && lowers * 2 <= lowerRuns * 5) return SLOTS.hash;
  }
  return undefined;
}

function digitAt(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

function number2(s: string, i: number): number {
  const a = digitAt(s, i);
  const b = digitAt(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** A plausible calendar date at `i`: years 1900-2099, so most 8-digit ids stay ids. */
function isDate(s: string, i: number, dashed: boolean): boolean {
  const century = number2(s, i);
  const year = number2(s, i + 2);
  if ((century !== 19 && century !== 20) || year < 0) return false;
  const m = dashed ? i + 5 : i + 4;
  const d = dashed ? i + 8 : i + 6;
  if (dashed && (s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45)) return false;
  const month = number2(s, m);
  const day = number2(s, d);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

function isUuid(s: string): boolean {
  for (let i = 0; i < 36; i++) {
    const dash = s.charCodeAt(i) === 45;
    if (dash !== (i === 8 || i === 13 || i === 18 || i === 23)) return false;
  }
  return true;
}

function isIpv4(s: string): boolean {
  let value = 0;
  let len = 0;
  let parts = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || s.charCodeAt(i) === 46) {
      if (len === 0 || len > 3 || value > 255) return false;
      parts++;
      value = 0;
      len = 0;
    } else {
      value = value * 10 + (s.charCodeAt(i) - 48);
      len++;
    }
  }
  return parts === 4;
}

/** local@domain.tld with a raw or percent-encoded `@`; lenient on the local part, strict on the domain. */
function isEmail(s: string): boolean {
  let at = s.indexOf('@');
  let domainStart = at + 1;
  if (at < 0) {
    at = s.indexOf('%40');
    domainStart = at + 3;
  }
  if (at <= 0 || domainStart >= s.length) return false;
  for (let i = 0; i < at; i++) {
    const c = s.charCodeAt(i);
    const cls = c < 128 ? (CLASS_OF[c] ?? OTHER) : OTHER;
    if (cls === OTHER && c !== 43 /* + */) return false;
    if (cls === AT) return false;
  }
  let labelLen = 0;
  let labels = 0;
  let tldLetters = true;
  for (let i = domainStart; i <= s.length; i++) {
    if (i === s.length || s.charCodeAt(i) === 46) {
      if (labelLen === 0) return false;
      labels++;
      labelLen = 0;
      if (i < s.length) tldLetters = true;
      continue;
    }
    const cls = CLASS_OF[s.charCodeAt(i)] ?? OTHER;
    if ((cls & (DIGIT | LETTERS | DASH)) === 0) return false;
    if (cls & (DIGIT | DASH)) tldLetters = false;
    labelLen++;
  }
  return labels >= 2 && tldLetters;
}
