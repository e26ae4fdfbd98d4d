/**
 * Just enough JavaScript shape to tell code from prose: calls (`f(`, f`x`, `a.b[c](`), sink
 * assignments (`location=`), and whether a value that lands inside a JS string literal ends that
 * string and runs a call (`';alert(1)//`, `"-alert(1)-"`).
 */

import { SINK_PROPERTIES } from './dangerousNames';
import { isHtmlSpace } from './htmlTokenizer';

export function isIdentStart(c: number): boolean {
  return (c | 0x20) >= 97 && (c | 0x20) <= 122 ? true : c === 36 /* $ */ || c === 95 /* _ */ || c > 0x7f;
}

export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isJsSpace(c: number): boolean {
  return isHtmlSpace(c) || c === 11 || c === 0xa0;
}

/** Index of the first call in `s[start, end)` (`name(`, `)(`, `](`, name`...`), or -1. */
export function findCall(s: string, start: number, end: number): number {
  for (let i = start + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c !== 40 /* ( */ && c !== 96 /* ` */) continue;
    const p = s.charCodeAt(i - 1);
    if (isIdentPart(p) || p === 41 /* ) */ || p === 93 /* ] */) return i;
  }
  return -1;
}

/** True when `s[start, end)` assigns to a member chain ending in a sink (`location=`, `x.onerror=`). */
export function findSinkAssignment(s: string, start: number, end: number): boolean {
  for (let i = start + 1; i < end; i++) {
    if (s.charCodeAt(i) !== 61 /* = */) continue;
    const next = i + 1 < end ? s.charCodeAt(i + 1) : -1;
    const prev = s.charCodeAt(i - 1);
    if (next === 61 || prev === 61 || prev === 33 /* ! */ || prev === 60 || prev === 62) continue;
    let k = i - 1;
    while (k >= start && isJsSpace(s.charCodeAt(k))) k--;
    const identEnd = k + 1;
    while (k >= start && isIdentPart(s.charCodeAt(k))) k--;
    if (identEnd - (k + 1) < 2) continue;
    const name = s.slice(k + 1, identEnd);
    if (SINK_PROPERTIES.has(name) || (name.startsWith('on') && name.length > 4)) return true;
  }
  return false;
}

const MAX_GROUP = 160;

/** Index just past the group opened at `open` (`(`, `[`), skipping nested groups and strings; -1 if unclosed. */
function skipGroup(s: string, open: number, end: number): number {
  let depth = 0;
  const limit = Math.min(end, open + MAX_GROUP);
  for (let i = open; i < limit; i++) {
    const c = s.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === 39 || c === 34 || c === 96) {
      const close = s.indexOf(String.fromCharCode(c), i + 1);
      if (close < 0 || close >= limit) return -1;
      i = close;
    }
  }
  return -1;
}

function skipSpaces(s: string, i: number, end: number): number {
  while (i < end && isJsSpace(s.charCodeAt(i))) i++;
  return i;
}

const UNARY_KEYWORDS = ['void', 'typeof', 'new', 'throw', 'await', 'delete', 'return'];

/**
 * Whether an expression starting at `i` is a call or a sink assignment: a primary (name,
 * `(...)`, `[...]`), member accesses, then `(`, a template literal or `=`. Returns the index of
 * the call's opening, or -1.
 */
export function callAt(s: string, i: number, end: number): number {
  i = skipSpaces(s, i, end);
  // Unary prefixes: `!alert(1)`, `-alert(1)`, `void alert(1)`.
  for (let guard = 0; guard < 4 && i < end; guard++) {
    const c = s.charCodeAt(i);
    if (c === 33 || c === 126 || c === 43 || c === 45) {
      i = skipSpaces(s, i + 1, end);
      continue;
    }
    const keyword = keywordAt(s, i, end);
    if (keyword > 0) {
      i = skipSpaces(s, i + keyword, end);
      continue;
    }
    break;
  }
  if (i >= end) return -1;
  const c = s.charCodeAt(i);
  let j: number;
  let nameStart = -1;
  let nameEnd = -1;
  if (isIdentStart(c)) {
    nameStart = i;
    j = i + 1;
    while (j < end && isIdentPart(s.charCodeAt(j))) j++;
    nameEnd = j;
  } else if (c === 40 || c === 91) {
    j = skipGroup(s, i, end);
    if (j < 0) return -1;
  } else {
    return -1;
  }
  // Member chain: `.name`, `?.name`, `[expr]`.
  for (let guard = 0; guard < 16 && j < end; guard++) {
    const d = s.charCodeAt(j);
    if (d === 46 /* . */ || (d === 63 /* ? */ && s.charCodeAt(j + 1) === 46)) {
      let k = d === 63 ? j + 2 : j + 1;
      if (k < end && (s.charCodeAt(k) === 40 || s.charCodeAt(k) === 96)) return k; // `?.(`
      if (k >= end || !isIdentStart(s.charCodeAt(k))) return -1;
      nameStart = k;
      while (k < end && isIdentPart(s.charCodeAt(k))) k++;
      nameEnd = k;
      j = k;
    } else if (d === 91) {
      const k = skipGroup(s, j, end);
      if (k < 0) return -1;
      nameStart = -1;
      j = k;
    } else {
      break;
    }
  }
  if (j >= end) return -1;
  const d = s.charCodeAt(j);
  if (d === 40 || d === 96) return j;
  if (d === 61 && s.charCodeAt(j + 1) !== 61 && nameStart >= 0) {
    const name = s.slice(nameStart, nameEnd);
    if (SINK_PROPERTIES.has(name) || (name.startsWith('on') && name.length > 4)) return j;
  }
  return -1;
}

function keywordAt(s: string, i: number, end: number): number {
  for (const kw of UNARY_KEYWORDS) {
    if (i + kw.length >= end || !s.startsWith(kw, i)) continue;
    const after = s.charCodeAt(i + kw.length);
    if (isJsSpace(after) || after === 40) return kw.length;
  }
  return 0;
}

/**
 * If the value sits inside a JS string delimited by the quote at `q` (its first such quote ends
 * the string), does the code after it run a call? Returns the index of the call, or -1.
 * Accepts closers (`'});`), then an operator that continues the statement or starts a new one
 * (`;`, `+`, `-`, `,`, `||`, ...), then a call or a sink assignment.
 */
export function breakoutCallAt(s: string, q: number, end: number): number {
  let i = q + 1;
  for (let guard = 0; guard < 8; guard++) {
    i = skipSpaces(s, i, end);
    const c = s.charCodeAt(i);
    if (c === 41 || c === 93 || c === 125) i++;
    else break;
  }
  const opStart = i;
  while (i < end && i - opStart < 3 && isBreakoutOperator(s.charCodeAt(i))) i++;
  if (i === opStart) return -1;
  // `'/x/'` and `'//'` after a quote are regex or comment, `'=x'` is a comparison typo: not operators.
  const first = s.charCodeAt(opStart);
  if (first === 47 && s.charCodeAt(opStart + 1) === 47) return -1;
  const call = callAt(s, i, end);
  // A call runs only once its arguments close: `;f(x)` or f`x`, not the `;tU(M` of a random token.
  if (call < 0) return -1;
  const open = s.charCodeAt(call);
  if (open === 40 && s.indexOf(')', call + 1) < 0) return -1;
  if (open === 96 && s.indexOf('`', call + 1) < 0) return -1;
  return call;
}

function isBreakoutOperator(c: number): boolean {
  switch (c) {
    case 59: // ;
    case 43: // +
    case 45: // -
    case 42: // *
    case 47: // /
    case 37: // %
    case 44: // ,
    case 124: // |
    case 38: // &
    case 94: // ^
    case 63: // ?
    case 60: // <
    case 62: // >
      return true;
    default:
      return false;
  }
}
