// Takes an event's parameters apart: query pairs, form fields or JSON leaves of the request body,
// and the values of a few configured headers. Never throws: hostile encodings, invalid or deep
// JSON and oversized bodies become notes (counted by the caller), not errors.
import type { Counters, Event } from '@sidetap/core';
import type { ExtractedParameter, ExtractionNotes } from './extractedParameter';
import { emptyNotes } from './extractedParameter';
import { bodySyntax } from '../requestParts/bodySyntax';
import { collectPairs } from './formPairs';
import { collectJson } from './jsonParameters';
import { ParameterCollector } from './parameterCollector';
import type { ParameterProfilesConfig } from './parameterProfilesConfig';
import { containsHashedSecret } from './secretValue';

export type ExtractionConfig = Pick<
  ParameterProfilesConfig,
  'headerNames' | 'maxBodyBytes' | 'maxJsonDepth' | 'maxJsonKeys' | 'maxParamsPerRequest' | 'maxNameLength' | 'maxValueLength'
>;

/** Body sample flags after which the last form pair may be cut short. */
const CUT_BODY_FLAGS = ['truncated_body', 'body_sample_capped', 'decompression_bomb'];

/**
 * The parameters of one request, in request order: query first, then body, then headers.
 * With `counters`, what was cut or skipped is counted under `anomaly_parameter_*`.
 */
export function extractParameters(event: Event, config: ExtractionConfig, counters?: Counters): ExtractedParameter[] {
  return extractWithNotes(event, config, counters).params;
}

/** extractParameters with the notes of what was cut, so a scorer knows when absence proves nothing. */
export function extractWithNotes(
  event: Event,
  config: ExtractionConfig,
  counters?: Counters,
): { params: ExtractedParameter[]; notes: ExtractionNotes } {
  const notes = emptyNotes();
  const collector = new ParameterCollector(config, notes);
  const query = event.url.query;
  if (query !== undefined && query.length > 0) collectPairs(query, 'query', collector, false);
  if (!collector.full) collectBody(event, config, collector);
  if (!collector.full) collectHeaders(event, config, collector);
  if (notes.paramsTruncated + notes.bodiesOversized + notes.jsonInvalid + notes.jsonTruncated > 0) notes.incomplete = true;
  if (counters !== undefined) countNotes(notes, counters);
  return { params: collector.params, notes };
}

function collectBody(event: Event, config: ExtractionConfig, collector: ParameterCollector): void {
  const request = event.http.request;
  const content = request.body.content;
  if (content === undefined || content.length === 0) return;
  const syntax = bodySyntax(request.mime_type, content);
  if (syntax !== 'form' && syntax !== 'json') return;
  const oversized = content.length > config.maxBodyBytes;
  if (oversized) collector.notes.bodiesOversized++;
  if (syntax === 'form') {
    const cut = oversized || event.sidetap.capture.flags.some((f) => CUT_BODY_FLAGS.includes(f));
    if (cut) collector.notes.incomplete = true;
    collectPairs(oversized ? content.slice(0, config.maxBodyBytes) : content, 'form', collector, cut);
  } else if (!oversized && !collectJson(content, collector, config)) {
    collector.notes.jsonInvalid++;
  }
}

/** Lower-cased header names per configured list, computed once rather than per request. */
const lowerCaseNames = new WeakMap<readonly string[], readonly string[]>();

function collectHeaders(event: Event, config: ExtractionConfig, collector: ParameterCollector): void {
  const headers = event.http.request.headers;
  let names = lowerCaseNames.get(config.headerNames);
  if (names === undefined) {
    names = config.headerNames.map((n) => n.toLowerCase());
    lowerCaseNames.set(config.headerNames, names);
  }
  for (const name of names) {
    const value = headers[name];
    // A hash inside a header value means a redactor judged it secret (an extra secret header).
    if (value === undefined || containsHashedSecret(value)) continue;
    if (!collector.add('header', name, value)) return;
  }
}

function countNotes(notes: ExtractionNotes, counters: Counters): void {
  if (notes.paramsTruncated > 0) counters.inc('anomaly_parameter_requests_truncated_total', notes.paramsTruncated);
  if (notes.valuesTruncated > 0) counters.inc('anomaly_parameter_values_truncated_total', notes.valuesTruncated);
  if (notes.bodiesOversized > 0) counters.inc('anomaly_parameter_bodies_oversized_total', notes.bodiesOversized);
  if (notes.jsonInvalid > 0) counters.inc('anomaly_parameter_json_invalid_total', notes.jsonInvalid);
  if (notes.jsonTruncated > 0) counters.inc('anomaly_parameter_json_truncated_total', notes.jsonTruncated);
}
