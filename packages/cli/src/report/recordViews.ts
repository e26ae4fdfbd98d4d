// The few fields of a Finding or a SessionSummary (@sidetap/core) the report uses, read
// defensively from a raw store record: a damaged or foreign record is skipped and counted, never
// a crash, and long strings are cut here so nothing held for the page grows with hostile input.
import { clip } from './htmlText';
import type { ReportLimits } from './reportLimits';

export type Severity = 1 | 2 | 3 | 4;

export interface FindingView {
  id: string;
  time: string;
  timeMs: number;
  severity: Severity;
  risk: number;
  ruleId: string;
  ruleName: string;
  category: string;
  owasp: string | undefined;
  message: string;
  detector: string | undefined;
  actorKey: string | undefined;
  user: string | undefined;
  ip: string | undefined;
  endpoint: string | undefined;
  location: string | undefined;
  exchangeIds: string[];
  moreExchangeIds: number;
  excerpts: string[];
  moreExcerpts: number;
  observed: string | undefined;
  expected: string | undefined;
  window: { start: string; end: string } | undefined;
  /** Capture flags of incomplete evidence; empty when the evidence was captured whole. */
  incompleteFlags: string[];
  incident: { id: string; risk: number; findings: number; categories: string[]; start: string } | undefined;
}

export interface SessionView {
  id: string | undefined;
  actors: string[];
  user: string | undefined;
  startMs: number;
  endMs: number;
  requests: number;
  errors: number;
  bytesSent: number;
  bytesReceived: number;
  clientIps: string[];
  countries: string[];
  devices: string[];
}

/** Longest id, key, name or address kept; they are short in real records. */
const NAME_CHARS = 200;

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);
const str = (v: unknown, max = NAME_CHARS): string | undefined => (typeof v === 'string' && v !== '' ? clip(v, max) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strings = (v: unknown, keep: number, max = NAME_CHARS): { kept: string[]; more: number } => {
  const all = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  return { kept: all.slice(0, keep).map((s) => clip(s, max)), more: Math.max(0, all.length - keep) };
};
const value = (v: unknown, max: number): string | undefined => (typeof v === 'number' ? String(v) : str(v, max));

/** The finding's view, or undefined when a field the report needs is missing or malformed. */
export function findingView(raw: unknown, limits: ReportLimits): FindingView | undefined {
  const f = obj(raw);
  const event = obj(f?.event);
  const rule = obj(f?.rule);
  const sidetap = obj(f?.sidetap) ?? {};
  const time = str(f?.['@timestamp']);
  const timeMs = time === undefined ? NaN : Date.parse(time);
  const severity = num(event?.['severity']);
  const id = str(event?.['id']);
  const category = str(rule?.['category']);
  if (f === undefined || time === undefined || Number.isNaN(timeMs) || id === undefined || category === undefined) return undefined;
  if (severity !== 1 && severity !== 2 && severity !== 3 && severity !== 4) return undefined;
  const user = obj(f['user']);
  const evidence = obj(sidetap['evidence']) ?? {};
  const window = obj(evidence['window']);
  const location = obj(sidetap['location']);
  const incident = obj(sidetap['incident']);
  const quality = obj(sidetap['capture_quality']);
  const ids = strings(evidence['exchange_ids'], limits.exchangeIds);
  const excerpts = strings(evidence['excerpts'], limits.excerpts, limits.excerptChars);
  const incidentId = str(incident?.['id']);
  const windowStart = str(window?.['start']);
  const windowEnd = str(window?.['end']);
  const locationPart = str(location?.['part']);
  return {
    id,
    time,
    timeMs,
    severity,
    risk: Math.min(100, Math.max(0, num(event?.['risk_score']) ?? 0)),
    ruleId: str(rule?.['id']) ?? category,
    ruleName: str(rule?.['name']) ?? str(rule?.['id']) ?? category,
    category,
    owasp: str(sidetap['owasp_api']),
    message: str(f['message'], limits.excerptChars * 2) ?? '(no message)',
    detector: str(sidetap['detector']),
    actorKey: str(sidetap['actor_key']),
    user: str(user?.['name']) ?? str(user?.['id']),
    ip: str(obj(f['source'])?.['ip']),
    endpoint: str(sidetap['endpoint']),
    location: locationPart === undefined ? undefined : `${locationPart} ${str(location?.['name']) ?? ''}`.trim(),
    exchangeIds: ids.kept,
    moreExchangeIds: ids.more,
    excerpts: excerpts.kept,
    moreExcerpts: excerpts.more,
    observed: value(evidence['observed'], limits.excerptChars),
    expected: value(evidence['expected'], limits.excerptChars),
    window: windowStart !== undefined && windowEnd !== undefined ? { start: windowStart, end: windowEnd } : undefined,
    incompleteFlags: quality?.['complete'] === false ? strings(quality['flags'], 20).kept : [],
    incident:
      incidentId === undefined
        ? undefined
        : {
            id: incidentId,
            risk: Math.min(100, Math.max(0, num(incident?.['risk_score']) ?? 0)),
            findings: Math.max(1, Math.floor(num(incident?.['findings']) ?? 1)),
            categories: strings(incident?.['categories'], 64).kept,
            start: str(incident?.['start']) ?? time,
          },
  };
}

/** Most addresses, countries and devices kept per session; the summary itself caps them too. */
const SESSION_LIST = 20;

/** The session's view, or undefined when it lacks its times or counts. */
export function sessionView(raw: unknown): SessionView | undefined {
  const s = obj(raw);
  const event = obj(s?.event);
  const sidetap = obj(s?.sidetap);
  const session = obj(sidetap?.['session']);
  const startMs = Date.parse(str(event?.['start']) ?? '');
  const endMs = Date.parse(str(event?.['end']) ?? '');
  const requests = num(session?.['requests']);
  if (s === undefined || session === undefined || Number.isNaN(startMs) || Number.isNaN(endMs) || requests === undefined) return undefined;
  const actorKey = str(sidetap?.['actor_key']);
  const actors = strings(session['actors'], SESSION_LIST).kept;
  if (actorKey !== undefined && !actors.includes(actorKey)) actors.unshift(actorKey);
  const timeline = str(session['timeline']);
  if (timeline !== undefined && !actors.includes(timeline)) actors.push(timeline);
  const user = obj(s['user']);
  return {
    id: str(event?.['id']),
    actors,
    user: str(user?.['name']) ?? str(user?.['id']),
    startMs,
    endMs,
    requests,
    errors: num(session['errors']) ?? 0,
    bytesSent: num(session['bytes_sent']) ?? 0,
    bytesReceived: num(session['bytes_received']) ?? 0,
    clientIps: strings(session['client_ips'], SESSION_LIST).kept,
    countries: strings(session['countries'], SESSION_LIST).kept,
    devices: strings(session['devices'], SESSION_LIST).kept,
  };
}
