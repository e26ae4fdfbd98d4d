// What one session did, as a fixed row of numbers for the behaviour forest: shares of outcomes,
// sizes, breadth and payload oddities. Counts are log-scaled so one huge session cannot stretch a
// feature's range for everyone. Volume and pace are deliberately absent: scraping, rate and
// volume detectors own "how much, how fast", and login attempts belong to the login detectors.
// A 5xx that other timelines got from the same endpoint at about the same time (an outage) is the
// server's doing, not the session's: the caller judges each when the row is made.
import type { Event } from '@sidetap/core';
import { evidenceMember } from '../../slidingWindow';

/** A feature: its stable name (model documents), and how a person reads its value. */
export interface FeatureSpec {
  readonly name: string;
  /** The value as a person reads it (a share as a percentage, a log count as the count). */
  readonly show: (x: number) => string;
  /** A short label after the shown value, such as "4xx". */
  readonly label: string;
  /**
   * The smallest difference worth a person's attention, in feature units: the floor of the
   * learned spread, so a feature that never moved while learning is not judged by a hair.
   */
  readonly unit: number;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const count = (x: number): string => String(Math.round(Math.expm1(x)));
const bytes = (x: number): string => {
  const b = Math.expm1(x);
  return b >= 10_240 ? `${Math.round(b / 1024)} KB` : `${Math.round(b)} B`;
};

/** The features, in row order. Renaming or reordering one is a new model format. */
// Units: 5 points of a share; a factor of about 1.65 (0.5 in log) of a size; 1.5 (0.4) of a count.
export const FEATURES: readonly FeatureSpec[] = [
  { name: 'client_error_share', show: pct, label: 'other 4xx (400, 405-499)', unit: 0.05 },
  { name: 'auth_denied_share', show: pct, label: '401/403', unit: 0.05 },
  { name: 'not_found_share', show: pct, label: '404', unit: 0.05 },
  { name: 'server_error_share', show: pct, label: '5xx', unit: 0.05 },
  { name: 'write_share', show: pct, label: 'non-GET requests', unit: 0.05 },
  { name: 'request_bytes_mean', show: bytes, label: 'mean request body', unit: 0.5 },
  { name: 'request_bytes_max', show: bytes, label: 'largest request body', unit: 0.5 },
  { name: 'response_bytes_mean', show: bytes, label: 'mean response body', unit: 0.5 },
  { name: 'distinct_endpoints', show: count, label: 'distinct endpoints', unit: 0.4 },
  { name: 'distinct_parameters', show: count, label: 'distinct query parameter names', unit: 0.4 },
  { name: 'payload_marker_share', show: pct, label: 'requests with quotes, angle brackets, ../, ${, {{ or $ operators', unit: 0.05 },
  { name: 'odd_number_share', show: pct, label: 'requests with negative or 8+ digit numbers', unit: 0.05 },
];

export const FEATURE_NAMES: readonly string[] = FEATURES.map((f) => f.name);

/** Bounds on what a session remembers, whatever its length. */
const MAX_DISTINCT = 32;
/** 5xx answers a session remembers to judge later whether they were its own; past it each counts as its own. */
const MAX_SERVER_ERRORS = 64;
const MAX_EVIDENCE = 10;
/** Body sample read for markers: attacks put them near the start; reading more costs time. */
const BODY_SCAN = 4096;

// Cheap markers of injection, traversal, template and operator payloads. Quotes count in the URL
// only: JSON bodies are full of them.
const URL_MARKERS = /['"<>`|]|\.\.[/\\]|\$\{|\{\{|#\{|%2e%2e|\.\.%2f|%27|%22|%3c|%3e|%60|%7c|%24%7b|%7b%7b/i;
const BODY_MARKERS = /[<>`|]|\.\.[/\\]|\$\{|\{\{|#\{|"\$[a-z]|'\s*(?:or|and|union)\b|;\s*(?:cat|id|ls|sleep|rm|curl|wget)\b/i;
const ODD_NUMBER = /(?:[=:]\s*-\d)|(?<![\w.])\d{8,}(?![\w.])/;

const changesState = (method: string): boolean => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';

/** Whether a 5xx the endpoint gave the timeline at t was the session's own, not an outage others walked into too. */
export type OwnServerError = (endpoint: string, timeline: string, t: number) => boolean;

/** One session's running tallies; `row()` turns them into the feature row. */
export class SessionFeatures {
  requests = 0;
  readonly start: number;
  end: number;
  private clientError = 0;
  private authDenied = 0;
  private notFound = 0;
  /** 5xx answers (endpoint, timeline, time), judged own or shared when the row is made. */
  private readonly serverErrors: Array<[string, string, number]> = [];
  private serverErrorsUnjudged = 0;
  private writes = 0;
  private requestBytes = 0;
  private requestBytesMax = 0;
  private responseBytes = 0;
  private payloadMarkers = 0;
  private oddNumbers = 0;
  private readonly endpoints = new Set<string>();
  private readonly parameters = new Set<string>();
  /** Evidence members: the session's odd requests first, else its first requests. */
  private readonly odd: string[] = [];
  private readonly first: string[] = [];

  constructor(
    t: number,
    private readonly ownServerError: OwnServerError = () => true,
  ) {
    this.start = t;
    this.end = t;
  }

  add(e: Event, t: number): void {
    this.requests++;
    if (t > this.end) this.end = t;
    const status = e.http.response?.status_code ?? 0;
    if (status === 401 || status === 403) this.authDenied++;
    else if (status === 404) this.notFound++;
    else if (status >= 400 && status < 500) this.clientError++;
    else if (status >= 500) {
      if (this.serverErrors.length < MAX_SERVER_ERRORS) this.serverErrors.push([`${e.http.request.method} ${e.sidetap.endpoint}`, e.sidetap.session.timeline, t]);
      else this.serverErrorsUnjudged++;
    }
    if (changesState(e.http.request.method.toUpperCase())) this.writes++;
    const sent = e.http.request.body.bytes;
    this.requestBytes += sent;
    if (sent > this.requestBytesMax) this.requestBytesMax = sent;
    this.responseBytes += e.http.response?.body.bytes ?? 0;
    if (this.endpoints.size < MAX_DISTINCT) this.endpoints.add(`${e.http.request.method} ${e.sidetap.endpoint}`);
    const query = e.url.query ?? '';
    if (query !== '' && this.parameters.size < MAX_DISTINCT) {
      for (const pair of query.split('&')) {
        const eq = pair.indexOf('=');
        const name = (eq < 0 ? pair : pair.slice(0, eq)).slice(0, 64);
        if (name !== '' && this.parameters.size < MAX_DISTINCT) this.parameters.add(name);
      }
    }
    const body = e.http.request.body.content;
    const sample = body === undefined ? '' : body.length > BODY_SCAN ? body.slice(0, BODY_SCAN) : body;
    const marked = URL_MARKERS.test(e.url.path) || URL_MARKERS.test(query) || (sample !== '' && BODY_MARKERS.test(sample));
    if (marked) this.payloadMarkers++;
    const odd = ODD_NUMBER.test(query) || (sample !== '' && ODD_NUMBER.test(sample));
    if (odd) this.oddNumbers++;
    if ((marked || odd || status >= 400) && this.odd.length < MAX_EVIDENCE) this.odd.push(evidenceMember(e));
    else if (this.first.length < 3) this.first.push(evidenceMember(e));
  }

  /** The feature row, in FEATURES order. */
  row(): Float64Array {
    const n = Math.max(1, this.requests);
    let serverErrors = this.serverErrorsUnjudged;
    for (const [endpoint, timeline, t] of this.serverErrors) if (this.ownServerError(endpoint, timeline, t)) serverErrors++;
    return Float64Array.of(
      this.clientError / n,
      this.authDenied / n,
      this.notFound / n,
      serverErrors / n,
      this.writes / n,
      Math.log1p(this.requestBytes / n),
      Math.log1p(this.requestBytesMax),
      Math.log1p(this.responseBytes / n),
      Math.log1p(this.endpoints.size),
      Math.log1p(this.parameters.size),
      this.payloadMarkers / n,
      this.oddNumbers / n,
    );
  }

  /** Evidence members (`<event id>\t<excerpt>`), the odd requests first. */
  evidence(): string[] {
    return [...this.odd, ...this.first].slice(0, MAX_EVIDENCE);
  }
}
