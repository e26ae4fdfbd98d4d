/**
 * Judges the contexts a value can reach without markup of its own: the whole value used as a URL
 * (`javascript:alert(1)` in a profile's website field), the value inside a JS string literal
 * (`';alert(1)//`), template expressions a client-side framework compiles (`{{...}}`, `${...}`),
 * and markdown links.
 */

import { SCRIPT_SINK_CALLS } from './dangerousNames';
import { breakoutCallAt, findCall, isIdentPart } from './jsSyntax';
import { type ScriptScheme, bodyLooksLikeCode, schemeMatch, scriptSchemeAt } from './scriptUrl';
import type { XssMatch } from './xssDetector';
import { makeMatch } from './xssMatch';

/**
 * The value taken whole as a URL. Returns the match, or for a base64 SVG/HTML data URL the
 * decoded document through `decoded` so the caller can judge it as markup.
 */
export function judgeBareUrl(s: string, start: number, decoded: { document: string }): XssMatch | undefined {
  const scheme = scriptSchemeAt(s, start, s.length);
  if (scheme === undefined) return undefined;
  return judgeUrlBody(s, start, s.length, scheme, 'value', decoded);
}

function judgeUrlBody(
  s: string,
  start: number,
  end: number,
  scheme: ScriptScheme,
  where: keyof typeof WHERE,
  decoded: { document: string },
): XssMatch | undefined {
  if (scheme === 'javascript' || scheme === 'vbscript' || scheme === 'livescript') {
    if (!bodyLooksLikeCode(s, schemeMatch.bodyStart, end)) return undefined;
    return makeMatch(s, start, end, `${where}+scheme:${scheme}`, 0.85, `${scheme}: URL as ${WHERE[where]}`);
  }
  if (schemeMatch.dataStart < 0) return undefined;
  if (scheme === 'data-svg' || scheme === 'data-opaque') {
    // An SVG or untyped data URL is harmless unless it carries markup; look inside.
    if (schemeMatch.base64 && (scheme === 'data-svg' || schemeMatch.textual)) decoded.document = decodeBase64(s, schemeMatch.dataStart, end);
    return undefined;
  }
  return makeMatch(s, start, end, `${where}+scheme:${scheme}`, 0.8, `${scheme.replace('-', ':')} document URL as ${WHERE[where]}`);
}

const WHERE = { value: 'the whole value', 'markdown-link': 'a markdown link target' } as const;

function decodeBase64(s: string, start: number, end: number): string {
  return Buffer.from(s.slice(start, Math.min(end, start + 8192)), 'base64').toString('latin1');
}

/**
 * Markdown `[text](javascript:...)`, `![alt](...)` and `[ref]: javascript:...`: a renderer turns
 * these into links without the value holding a tag.
 */
export function judgeMarkdownLinks(s: string, decoded: { document: string }): XssMatch | undefined {
  for (let i = s.indexOf(']', 0), guard = 0; i >= 0 && guard < 32; i = s.indexOf(']', i + 1), guard++) {
    const next = s.charCodeAt(i + 1);
    if (next !== 40 /* ( */ && next !== 58 /* : */) continue;
    let p = i + 2;
    while (p < s.length && (s.charCodeAt(p) <= 0x20 || s.charCodeAt(p) === 60 /* < */)) p++;
    const close = next === 40 ? s.indexOf(')', findCallEnd(s, p)) : -1;
    const end = close < 0 ? s.length : close;
    const scheme = scriptSchemeAt(s, p, end);
    if (scheme === undefined) continue;
    const m = judgeUrlBody(s, p, end, scheme, 'markdown-link', decoded);
    if (m !== undefined) return m;
  }
  return undefined;
}

/** A link body may itself hold parentheses (`javascript:alert(1)`); end the link after them. */
function findCallEnd(s: string, p: number): number {
  const open = s.indexOf('(', p);
  if (open < 0) return p;
  const close = s.indexOf(')', open);
  return close < 0 ? p : close + 1;
}

const QUOTES = ['\'', '"', '`'] as const;

/**
 * The value placed inside a JS string literal: its first quote of that kind ends the string, and
 * the code after it runs. Flags a call or sink assignment right after the break (`';alert(1)//`,
 * `"-alert(1)-"`, `'});fetch(...)//`).
 */
export function judgeJsBreakout(s: string): XssMatch | undefined {
  for (const quote of QUOTES) {
    const q = s.indexOf(quote);
    if (q < 0) continue;
    const call = breakoutCallAt(s, q, s.length);
    if (call < 0) continue;
    const kind = quote === '`' ? 'backtick' : quote === '"' ? 'double' : 'single';
    return makeMatch(s, q, Math.max(call + 1, q + 40), `js-string:${kind}+call`, 0.75, `breaks out of a ${kind}-quoted JS string and calls code`);
  }
  return undefined;
}

/**
 * The whole value one dialog call, as scanners probe a value that lands in script unquoted
 * (`var id = alert(1);`, an event handler's body): `alert(1)`, alert`1`, `top['confirm'](1)//`.
 * Case matters (ALERT(1) runs nothing); prose and code snippets are never just this call.
 */
const BARE_DIALOG_CALL =
  /^\s*(?:(?:window|self|top|parent|frames|globalThis)\s*(?:\.\s*|\[\s*['"`]))?(?:alert|prompt|confirm)(?:['"`]\s*\])?\s*(?:\([^()]{0,80}(?:\([^()]{0,40}\)[^()]{0,40})?\)|`[^`]{0,80}`)\s*;?\s*(?:\/\/[^\n]*|<!--[^\n]*)?$/;

export function judgeBareCall(s: string): XssMatch | undefined {
  if (s.length > 200 || !BARE_DIALOG_CALL.test(s)) return undefined;
  return makeMatch(s, 0, s.length, 'js-bare+call', 0.7, 'the whole value is a dialog call, a probe for script that takes the value unquoted');
}

const MAX_EXPRESSION = 400;

/**
 * Client-side template expressions: AngularJS/Vue `{{...}}` and JS template literals `${...}`.
 * Flags an expression that reaches the Function constructor (the sandbox escape every AngularJS
 * payload needs) or calls a script sink; `{{ user.name }}` and `${price}` stay quiet.
 */
export function judgeTemplates(s: string): XssMatch | undefined {
  for (let i = s.indexOf('{', 0), guard = 0; i >= 0 && guard < 32; i = s.indexOf('{', i + 1), guard++) {
    const curly = s.charCodeAt(i + 1) === 123;
    const dollar = i > 0 && s.charCodeAt(i - 1) === 36;
    if (!curly && !dollar) continue;
    const exprStart = curly ? i + 2 : i + 1;
    const closeAt = s.indexOf(curly ? '}}' : '}', exprStart);
    const exprEnd = closeAt < 0 ? Math.min(s.length, exprStart + MAX_EXPRESSION) : Math.min(closeAt, exprStart + MAX_EXPRESSION);
    const construct = judgeExpression(s, exprStart, exprEnd);
    if (construct === undefined) continue;
    const open = curly ? i : i - 1;
    const kind = curly ? 'template:mustache' : 'template:literal';
    return makeMatch(s, open, exprEnd + (curly ? 2 : 1), `${kind}+${construct}`, construct === 'constructor' ? 0.85 : 0.7, `template expression ${expressionReason(construct)}`);
  }
  return undefined;
}

export type ExpressionConstruct = 'constructor' | 'sink-call';

export function expressionReason(construct: ExpressionConstruct): string {
  return construct === 'constructor' ? 'reaches the Function constructor' : 'calls a script sink';
}

/** Whether a template or binding expression reaches the Function constructor or calls a sink. */
export function judgeExpression(s: string, start: number, end: number): ExpressionConstruct | undefined {
  const call = findCall(s, start, end);
  if (call < 0) return undefined;
  const constructorAt = s.indexOf('constructor', start);
  if (constructorAt >= 0 && constructorAt < end) return 'constructor';
  const proto = s.indexOf('__proto__', start);
  if (proto >= 0 && proto < end) return 'constructor';
  for (let c = call; c >= 0 && c < end; c = findCall(s, c + 1, end)) {
    let k = c - 1;
    while (k >= start && isIdentPart(s.charCodeAt(k))) k--;
    if (c - k > 1 && SCRIPT_SINK_CALLS.has(s.slice(k + 1, c))) return 'sink-call';
    const dollarCall = s.charCodeAt(k + 1) === 36 && (s.startsWith('$eval', k + 1) || s.startsWith('$emit', k + 1));
    if (dollarCall) return 'sink-call';
  }
  return undefined;
}
