// Recognising an HTTP/1.x request line or status line in raw bytes (RFC 9112 §3, §4), used both
// to check the first line of a message and to find where messages start again after lost bytes.

export type StartLineKind = 'request' | 'status' | 'invalid';
/** Which start lines a direction may carry: known once the client and server are told apart. */
export type ExpectedStart = 'request' | 'status' | 'either';

const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;
const MAX_METHOD_LENGTH = 32;

/** tchar (RFC 9110 §5.6.2): the bytes a method or field name is made of. */
export const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

/** Strict method bytes used when hunting for a message start in arbitrary data: fewer false hits. */
const isStrictMethodByte = (b: number): boolean => (b >= 0x41 && b <= 0x5a) || b === 0x2d || b === 0x5f;
const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/** "HTTP/d.d" at buf[at, at+8); with `strict` only major version 1. */
function isVersionAt(buf: Buffer, at: number, strict: boolean): boolean {
  return (
    buf[at] === 0x48 &&
    buf[at + 1] === 0x54 &&
    buf[at + 2] === 0x54 &&
    buf[at + 3] === 0x50 &&
    buf[at + 4] === 0x2f &&
    (strict ? buf[at + 5] === 0x31 : isDigit(buf[at + 5])) &&
    buf[at + 6] === 0x2e &&
    isDigit(buf[at + 7])
  );
}

function isRequestLine(buf: Buffer, start: number, end: number, strict: boolean): boolean {
  let i = start;
  const methodEnd = Math.min(end, start + MAX_METHOD_LENGTH);
  while (i < methodEnd) {
    const b = buf[i] as number;
    if (strict ? !isStrictMethodByte(b) : TCHAR[b] !== 1) break;
    i++;
  }
  if (i === start || buf[i] !== SP) return false;
  // Servers (nginx, Node) skip extra SP before the target; parseHead flags it. Not when hunting.
  if (!strict) while (buf[i + 1] === SP) i++;
  // method SP target SP HTTP/d.d: the version is the last 9 bytes.
  const versionSp = end - 9;
  if (versionSp <= i + 1 || buf[versionSp] !== SP) return false;
  const t = buf[i + 1];
  if (t === SP || t === CR) return false;
  return isVersionAt(buf, versionSp + 1, strict);
}

function isStatusLine(buf: Buffer, start: number, end: number, strict: boolean): boolean {
  if (end - start < 12 || !isVersionAt(buf, start, strict) || buf[start + 8] !== SP) return false;
  if (!isDigit(buf[start + 9]) || !isDigit(buf[start + 10]) || !isDigit(buf[start + 11])) return false;
  return end === start + 12 || buf[start + 12] === SP;
}

/**
 * What the line buf[start, end) is (end excludes the LF; a CR before it is allowed). `strict`
 * narrows methods to upper-case letters and versions to 1.x, for searching arbitrary bytes.
 */
export function startLineKind(buf: Buffer, start: number, end: number, expect: ExpectedStart, strict: boolean): StartLineKind {
  const e = end > start && buf[end - 1] === CR ? end - 1 : end;
  if (expect !== 'request' && isStatusLine(buf, start, e, strict)) return 'status';
  if (expect !== 'status' && isRequestLine(buf, start, e, strict)) return 'request';
  return 'invalid';
}

/** Whether the unfinished line buf[p, end) can still become a start line once its end arrives. */
export function couldBeStartLine(buf: Buffer, p: number, end: number, expect: ExpectedStart): boolean {
  if (expect !== 'request') {
    const n = Math.min(7, end - p);
    let ok = true;
    for (let k = 0; k < n && ok; k++) ok = buf[p + k] === 'HTTP/1.'.charCodeAt(k);
    if (ok) return true;
  }
  if (expect === 'status') return false;
  const first = buf[p];
  if (first === undefined || first < 0x41 || first > 0x5a) return false;
  const limit = Math.min(end, p + MAX_METHOD_LENGTH);
  let i = p + 1;
  while (i < limit && isStrictMethodByte(buf[i] as number)) i++;
  if (i === end) return true;
  if (buf[i] !== SP) return false;
  return i + 1 === end || (buf[i + 1] !== SP && buf[i + 1] !== CR);
}

/**
 * The offset of the first line at or after `pos` that is (or, cut off at the end of `buf`, may
 * be) a start line, or -1. Lines begin after each LF, and at `pos` itself when `atLineStart`.
 */
export function findStartLine(buf: Buffer, pos: number, atLineStart: boolean, expect: ExpectedStart): number {
  const end = buf.length;
  let p = pos;
  if (!atLineStart) {
    const lf = buf.indexOf(LF, pos);
    if (lf < 0) return -1;
    p = lf + 1;
  }
  while (p < end) {
    const lf = buf.indexOf(LF, p);
    if (lf < 0) return couldBeStartLine(buf, p, end, expect) ? p : -1;
    const b = buf[p] as number;
    if (b >= 0x41 && b <= 0x5a && startLineKind(buf, p, lf, expect, true) !== 'invalid') return p;
    p = lf + 1;
  }
  return -1;
}
