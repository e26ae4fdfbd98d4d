// Builders of protocol_checks test events: a request with the heads, bodies and capture flags the checks read.
import type { CaptureFlag, Event } from '@sidetap/core';
import { detectAll } from '../../testEngine';
import { event } from '../../testEvents';
import type { EventSpec } from '../../testEvents';

export const T0 = Date.UTC(2024, 4, 1, 0, 0, 0);
export const HOUR = 3_600_000;

export interface RequestSpec extends EventSpec {
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  bodyBytes?: number;
  mime?: string;
  flags?: CaptureFlag[];
  version?: string;
  dst?: string;
}

export function request(s: RequestSpec): Event {
  const e = event(s);
  const req = e.http.request;
  req.headers = { host: 'api.example.com', 'user-agent': 'okhttp/4.12', ...s.headers };
  // A header given as undefined is left out (a request without Host).
  for (const [k, v] of Object.entries(req.headers)) if (v === undefined) delete req.headers[k];
  if (s.query !== undefined) {
    e.url.query = s.query;
    e.url.original = `${e.url.path}?${s.query}`;
  }
  if (s.body !== undefined) req.body = { bytes: Buffer.byteLength(s.body), content: s.body };
  if (s.bodyBytes !== undefined) req.body.bytes = s.bodyBytes;
  if (s.mime !== undefined) req.mime_type = s.mime;
  if (s.flags !== undefined) e.sidetap.capture.flags = s.flags;
  if (s.version !== undefined) e.http.version = s.version;
  if (s.dst !== undefined) e.destination.ip = s.dst;
  return e;
}

/** protocol_checks findings only (other detectors run too, with their defaults). */
export async function protocolFindings(events: readonly Event[], detector: object = {}, learnMs = 24 * HOUR) {
  const all = await detectAll(events, { learnMs, detectors: { protocol_checks: detector } });
  return all.filter((f) => f.sidetap.detector === 'protocol_checks');
}

/** Ordinary traffic of one endpoint during learning: `n` requests a minute apart from several clients. */
export function learned(n: number, s: Omit<RequestSpec, 'id' | 'at'>, prefix = 'l', from = T0): Event[] {
  return Array.from({ length: n }, (_, i) => request({ ...s, id: `${prefix}${i}`, at: from + i * 60_000, ip: `198.51.100.${i % 7}` }));
}

export const AFTER = T0 + 26 * HOUR;
