// Takes an event apart into the parts the request-threat engines judge, each named by where it
// sits: path segments, query parameters (and odd parameter names), form fields, multipart parts,
// JSON leaves by JSONPath, XML text and attributes, header values and cookie values. Values stay
// as sent; normalise.ts decodes them. Never throws: hostile input yields fewer parts and the
// `capped` flag, never an error.
import type { Event } from '@sidetap/core';
import { bodySyntax } from '../requestParts/bodySyntax';
import { forEachPair } from '../requestParts/formPairs';
import { urlDecode } from '../parameterProfiles/urlDecode';
import { containsHashedSecret, isHashedSecret } from '../parameterProfiles/secretValue';
import { collectJsonParts } from './jsonParts';
import { collectMultipartParts } from './multipartParts';
import { PartBudget } from './partBudget';
import type { RequestPart } from './requestPart';
import type { RequestPartsConfig } from './requestPartsConfig';
import { collectXmlParts } from './xmlParts';

export interface RequestParts {
  parts: RequestPart[];
  /** A bound of the budget was hit: some of the request was not inspected. */
  capped: boolean;
}

/** Body sample flags after which the last form pair may be cut short. */
const CUT_BODY_FLAGS: ReadonlySet<string> = new Set(['truncated_body', 'body_sample_capped', 'decompression_bomb']);

/** A parameter name worth judging itself: anything beyond letters, digits and `_ - . [ ]`. */
const PLAIN_NAME = /^[A-Za-z0-9_.\-[\]]*$/;

/** Lower-cased ignore lists, computed once per config rather than per request. */
const ignoredSets = new WeakMap<readonly string[], ReadonlySet<string>>();

export function extractRequestParts(event: Event, config: RequestPartsConfig): RequestParts {
  const budget = new PartBudget(config);
  try {
    collectPath(event.url.path, budget);
    const query = event.url.query;
    if (query !== undefined && query.length > 0) collectPairs(query, 'query', budget, false);
    collectBody(event, config, budget);
    collectHeaders(event, config, budget);
  } catch {
    // Extraction is written not to throw; should a bug slip through, the request is judged on what was gathered.
    budget.markCapped();
  }
  return { parts: budget.parts, capped: budget.capped };
}

/** Each segment by its 1-based index, and the whole path as a document (traversal spans segments). */
function collectPath(path: string, budget: PartBudget): void {
  if (!budget.add('path', 'path', path, 'url', 'document')) return;
  let index = 0;
  let start = path.charCodeAt(0) === 0x2f ? 1 : 0;
  while (start <= path.length) {
    let end = path.indexOf('/', start);
    if (end < 0) end = path.length;
    index++;
    if (end > start && !budget.add('path', String(index), path.slice(start, end), 'url')) return;
    start = end + 1;
  }
}

function collectPairs(raw: string, location: 'query' | 'form', budget: PartBudget, dropLast: boolean): void {
  forEachPair(raw, dropLast, (rawName, rawValue) => {
    const name = rawName.includes('%') || rawName.includes('+') ? urlDecode(rawName, true) : rawName;
    if (!PLAIN_NAME.test(rawName) && !budget.add(location, name, rawName, 'form', 'key')) return false;
    return rawValue === undefined || isHashedSecret(rawValue) || budget.add(location, name, rawValue, 'form');
  });
}

function collectBody(event: Event, config: RequestPartsConfig, budget: PartBudget): void {
  const request = event.http.request;
  const content = request.body.content;
  if (content === undefined || content.length === 0) return;
  const syntax = bodySyntax(request.mime_type, content);
  if (syntax === 'none') return;
  const oversized = content.length > config.maxBodyBytes;
  if (oversized) budget.markCapped();
  switch (syntax) {
    case 'form': {
      const cut = oversized || event.sidetap.capture.flags.some((f) => CUT_BODY_FLAGS.has(f));
      collectPairs(oversized ? content.slice(0, config.maxBodyBytes) : content, 'form', budget, cut);
      return;
    }
    case 'json':
      if (!oversized) collectJsonParts(content, budget, config);
      return;
    case 'multipart':
      if (!oversized) collectMultipartParts(content, budget);
      return;
    case 'xml':
      if (!oversized) collectXmlParts(content, budget);
      return;
  }
}

function collectHeaders(event: Event, config: RequestPartsConfig, budget: PartBudget): void {
  let ignored = ignoredSets.get(config.ignoreHeaders);
  if (ignored === undefined) {
    ignored = new Set(config.ignoreHeaders.map((h) => h.toLowerCase()));
    ignoredSets.set(config.ignoreHeaders, ignored);
  }
  const headers = event.http.request.headers;
  for (const name in headers) {
    if (!Object.prototype.hasOwnProperty.call(headers, name) || ignored.has(name)) continue;
    const value = headers[name]!;
    if (name === 'cookie') {
      if (!collectCookies(value, budget)) return;
      continue;
    }
    // A hash inside a value means a redactor judged it secret (Authorization, an API key header).
    if (containsHashedSecret(value)) continue;
    if (!budget.add('header', name, value, 'url')) return;
  }
}

/** Cookie values the capture kept (the redactor hashes credentials); hashed ones are skipped. */
function collectCookies(header: string, budget: PartBudget): boolean {
  // The pairs of header.split(';'), read in place: every request with cookies comes here.
  for (let start = 0; start <= header.length; ) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    const eq = header.indexOf('=', start);
    if (eq >= 0 && eq < end) {
      const value = header.slice(eq + 1, end).trim();
      if (value !== '' && !containsHashedSecret(value) && !budget.add('cookie', header.slice(start, eq).trim(), value, 'url')) return false;
    }
    start = end + 1;
  }
  return true;
}
