/**
 * Recognises URLs that run script when followed: `javascript:`, `vbscript:`, `livescript:` and
 * `data:` documents (HTML, SVG, XML, script). Reads like the browser: character references
 * decoded, leading spaces and control characters dropped, tabs and newlines anywhere in the scheme
 * ignored (`java&#x09;script:`, `java\tscript:`), case ignored.
 */

import { cursor, decodeAt, decodeRange } from './charRefs';
import { findCall, findSinkAssignment, isIdentPart, isIdentStart } from './jsSyntax';

/** `data-opaque` is any other data URL: harmless as such, but its payload may be decoded and judged. */
export type ScriptScheme = 'javascript' | 'vbscript' | 'livescript' | 'data-html' | 'data-svg' | 'data-script' | 'data-opaque';

/** Details of the last scheme matched by `scriptSchemeAt`. */
export const schemeMatch = {
  /** Index just after the scheme's `:` in the raw string. */
  bodyStart: 0,
  /** For data URLs: index of the payload after `,`, or -1. */
  dataStart: -1,
  base64: false,
  /** For data URLs: no media type, or a text one; such a payload may hold markup. */
  textual: false,
};

const SCHEMES = ['javascript', 'vbscript', 'livescript', 'data'] as const;

function isIgnoredInScheme(c: number): boolean {
  return c === 9 || c === 10 || c === 13 || c === 0;
}

/**
 * The script-capable scheme a URL starting at `start` uses, or undefined. `s[start, end)` is
 * read with character references decoded.
 */
export function scriptSchemeAt(s: string, start: number, end: number): ScriptScheme | undefined {
  let i = start;
  let c = -1;
  // The URL parser strips leading C0 controls and spaces.
  while (i < end) {
    c = decodeAt(s, i, end);
    if (c > 0x20) break;
    i = cursor.next;
  }
  if (i >= end) return undefined;
  const first = c | 0x20;
  const scheme = first === 106 ? SCHEMES[0] : first === 118 ? SCHEMES[1] : first === 108 ? SCHEMES[2] : first === 100 ? SCHEMES[3] : undefined;
  if (scheme === undefined) return undefined;
  i = cursor.next;
  let k = 1;
  while (k <= scheme.length) {
    if (i >= end) return undefined;
    c = decodeAt(s, i, end);
    i = cursor.next;
    if (isIgnoredInScheme(c)) continue;
    if (k === scheme.length) break;
    if ((c | 0x20) !== scheme.charCodeAt(k) || c > 0x7f) return undefined;
    k++;
  }
  if (c !== 58 /* : */) return undefined;
  schemeMatch.bodyStart = i;
  schemeMatch.dataStart = -1;
  schemeMatch.base64 = false;
  schemeMatch.textual = false;
  if (scheme !== 'data') return scheme;
  return dataKind(s, i, end);
}

/** Classifies a data URL by its media type: documents, scripts, SVG, or opaque. */
function dataKind(s: string, start: number, end: number): ScriptScheme {
  const comma = s.indexOf(',', start);
  const headerEnd = comma < 0 || comma >= end ? Math.min(end, start + 80) : Math.min(comma, start + 80);
  const header = decodeRange(s, start, headerEnd, 80).toLowerCase();
  schemeMatch.dataStart = comma < 0 || comma >= end ? -1 : comma + 1;
  schemeMatch.base64 = header.includes('base64');
  const mediaType = header.split(';')[0]?.trim() ?? '';
  schemeMatch.textual = mediaType === '' || mediaType === 'base64' || mediaType.startsWith('text/');
  if (header.includes('html') || (header.includes('xml') && !header.includes('svg'))) return 'data-html';
  if (header.includes('svg')) return 'data-svg';
  if (header.includes('javascript') || header.includes('ecmascript')) return 'data-script';
  return 'data-opaque';
}

const INERT_BODIES = new Set(['', ';', 'void(0)', 'void(0);', 'void0', 'void0;', '//', 'returnfalse', 'returnfalse;', 'false', 'null']);

/** True when a `javascript:` body does nothing (`javascript:void(0)`), as benign markup uses it. */
export function isInertBody(s: string, start: number, end: number): boolean {
  if (end - start > 40) return false;
  const body = decodeRange(s, start, end, 40).replace(/\s+/g, '').toLowerCase();
  return INERT_BODIES.has(body);
}

/**
 * For a URL seen outside markup (a whole value, a markdown link), whether what follows the scheme
 * is code rather than prose: "JavaScript: The Good Parts" is a title, `javascript:alert(1)` is
 * not. The body must start like code and contain a call or a sink assignment.
 */
export function bodyLooksLikeCode(s: string, start: number, end: number): boolean {
  const body = decodeRange(s, start, end, 400);
  let i = 0;
  while (i < body.length && body.charCodeAt(i) <= 0x20) i++;
  if (i >= body.length) return false;
  const c = body.charCodeAt(i);
  if (isIdentStart(c)) {
    let j = i + 1;
    while (j < body.length && isIdentPart(body.charCodeAt(j))) j++;
    const d = body.charCodeAt(j);
    // `alert(`, alert`, `a.b`, `a[`, `a=`, `a;`: code. `The Good Parts`: prose.
    if (!(d === 40 || d === 96 || d === 46 || d === 91 || d === 61 || d === 59 || d === 63)) return false;
  } else if ('/([{\'"`!~-+\\%'.indexOf(body[i] ?? '') < 0) {
    return false;
  }
  return findCall(body, i, body.length) >= 0 || findSinkAssignment(body, i, body.length);
}
