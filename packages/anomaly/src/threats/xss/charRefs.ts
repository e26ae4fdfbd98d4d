/**
 * Character references (`&#106;`, `&#x6A`, `&colon;`) decoded one character at a time, the way a
 * browser decodes them inside an attribute value before it resolves the URL or compiles the
 * handler. Reading through this cursor lets the judge see `jav&#x09;ascript&colon;` as
 * `javascript:` without building a decoded copy of every attribute.
 */

/** Where the last `decodeAt` stopped; shared so that decoding never allocates. */
export const cursor = { next: 0 };

// Named references an attacker can use to spell a scheme or a call. The legacy ones may omit the
// trailing semicolon, as browsers allow.
const NAMED: ReadonlyArray<readonly [name: string, code: number, legacy: boolean]> = [
  ['colon', 58, false], ['Tab', 9, false], ['NewLine', 10, false], ['lpar', 40, false],
  ['rpar', 41, false], ['lt', 60, true], ['gt', 62, true], ['amp', 38, true], ['quot', 34, true],
  ['apos', 39, false], ['sol', 47, false], ['bsol', 92, false], ['semi', 59, false],
  ['comma', 44, false], ['period', 46, false], ['excl', 33, false], ['num', 35, false],
  ['plus', 43, false], ['equals', 61, false], ['lowbar', 95, false], ['grave', 96, false],
  ['lsqb', 91, false], ['rsqb', 93, false], ['lbrack', 91, false], ['rbrack', 93, false],
  ['lcub', 123, false], ['rcub', 125, false], ['lbrace', 123, false], ['rbrace', 125, false],
  ['dollar', 36, false], ['percnt', 37, false], ['ast', 42, false], ['midast', 42, false],
  ['nbsp', 160, true], ['dash', 8208, false], ['hyphen', 8208, false], ['Hat', 94, false],
  ['quest', 63, false], ['commat', 64, false], ['verbar', 124, false], ['vert', 124, false],
];

const MAX_NAME = 8;

/**
 * The code unit at `i` in `s` (bounded by `end`) after decoding a character reference there, or
 * -1 at the end. Sets `cursor.next` to the index after what was read.
 */
export function decodeAt(s: string, i: number, end: number): number {
  if (i >= end) {
    cursor.next = end;
    return -1;
  }
  const c = s.charCodeAt(i);
  cursor.next = i + 1;
  if (c !== 38 /* & */ || i + 1 >= end) return c;
  const d = s.charCodeAt(i + 1);
  if (d === 35 /* # */) return decodeNumeric(s, i, end, c);
  return decodeNamed(s, i + 1, end, c);
}

function decodeNumeric(s: string, amp: number, end: number, fallback: number): number {
  let j = amp + 2;
  let hex = false;
  if (j < end && (s.charCodeAt(j) | 0x20) === 120 /* x */) {
    hex = true;
    j++;
  }
  const digitsStart = j;
  let value = 0;
  while (j < end) {
    const c = s.charCodeAt(j);
    let digit: number;
    if (c >= 48 && c <= 57) digit = c - 48;
    else if (hex && (c | 0x20) >= 97 && (c | 0x20) <= 102) digit = (c | 0x20) - 87;
    else break;
    value = Math.min(value * (hex ? 16 : 10) + digit, 0x110000);
    j++;
  }
  if (j === digitsStart) return fallback;
  if (j < end && s.charCodeAt(j) === 59 /* ; */) j++;
  cursor.next = j;
  // The browser maps NUL and out-of-range values to U+FFFD.
  return value === 0 || value > 0x10ffff ? 0xfffd : value;
}

function decodeNamed(s: string, start: number, end: number, fallback: number): number {
  let j = start;
  const limit = Math.min(end, start + MAX_NAME);
  while (j < limit && isAsciiAlnum(s.charCodeAt(j))) j++;
  const length = j - start;
  if (length === 0) return fallback;
  const withSemicolon = j < end && s.charCodeAt(j) === 59;
  for (const [name, code, legacy] of NAMED) {
    if (name.length > length) continue;
    if (name.length < length && !legacy) continue;
    if (!sameChars(s, start, name)) continue;
    const exact = name.length === length;
    if (exact && withSemicolon) {
      cursor.next = j + 1;
      return code;
    }
    if (legacy) {
      cursor.next = start + name.length;
      return code;
    }
  }
  return fallback;
}

function sameChars(s: string, start: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) if (s.charCodeAt(start + k) !== name.charCodeAt(k)) return false;
  return true;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122);
}

/** `s[start, end)` with character references decoded, at most `max` characters long. */
export function decodeRange(s: string, start: number, end: number, max: number): string {
  if (s.indexOf('&', start) < 0 || s.indexOf('&', start) >= end) return s.slice(start, Math.min(end, start + max));
  let out = '';
  let i = start;
  while (i < end && out.length < max) {
    const c = decodeAt(s, i, end);
    out += String.fromCodePoint(c);
    i = cursor.next;
  }
  return out;
}
