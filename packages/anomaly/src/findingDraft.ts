// A detector's finding before the engine gives it its id, timestamps and capture quality: the
// evidence it gathered, in event time, and what it means in one sentence.
import { findingId, INCOMPLETE_CAPTURE_FLAGS } from '@sidetap/core';
import type { CaptureFlag, Event, Finding, OwaspApiId, RuleCategory } from '@sidetap/core';

export interface FindingDraft {
  detector: string;
  rule: { id: string; name: string; category: RuleCategory };
  severity: 1 | 2 | 3 | 4;
  /** 0..1: how sure the detector is; the risk score is severity weighted by it. */
  confidence: number;
  owasp?: OwaspApiId;
  techniques?: string[];
  actorKey?: string;
  user?: { id?: string | undefined; name?: string | undefined };
  sourceIp?: string;
  /** Where the client address is, when the sessionizer's geo database knows it (Kibana's map). */
  sourceGeo?: NonNullable<Event['source']['geo']>;
  endpoint?: string;
  /** Event times (ms) of the first and last evidence. */
  window: { start: number; end: number };
  exchangeIds: string[];
  excerpts: string[];
  observed?: number | string;
  expected?: number | string;
  /** The request part the finding points at (request threats). */
  location?: { part: NonNullable<Finding['sidetap']['location']>['part']; name: string };
  /** Capture flags of the evidence exchanges, when the detector knows them. */
  flags?: CaptureFlag[];
  message: string;
}

const SEVERITY_RISK = { 1: 25, 2: 50, 3: 75, 4: 95 } as const;
/** Evidence kept on a finding: enough to look at, bounded whatever the attack's size. */
export const MAX_EVIDENCE = 20;

export function buildFinding(d: FindingDraft): Finding {
  const window = { start: new Date(d.window.start).toISOString(), end: new Date(Math.max(d.window.start, d.window.end)).toISOString() };
  const exchangeIds = [...new Set(d.exchangeIds)].sort().slice(0, MAX_EVIDENCE);
  const flags = [...new Set(d.flags ?? [])];
  const finding: Finding = {
    '@timestamp': window.end,
    event: {
      kind: 'alert',
      id: findingId({ ruleId: d.rule.id, exchangeIds, window }),
      severity: d.severity,
      risk_score: Math.round(SEVERITY_RISK[d.severity] * Math.min(1, Math.max(0.2, d.confidence))),
      dataset: 'sidetap.finding',
    },
    rule: d.rule,
    message: d.message,
    sidetap: {
      detector: d.detector,
      evidence: {
        exchange_ids: exchangeIds,
        excerpts: d.excerpts.slice(0, MAX_EVIDENCE).map((e) => (e.length > 200 ? `${e.slice(0, 197)}...` : e)),
        window,
        ...(d.observed !== undefined ? { observed: d.observed } : {}),
        ...(d.expected !== undefined ? { expected: d.expected } : {}),
      },
      capture_quality: { complete: !flags.some((f) => INCOMPLETE_CAPTURE_FLAGS.has(f)), flags },
    },
  };
  if (d.owasp !== undefined) finding.sidetap.owasp_api = d.owasp;
  if (d.actorKey !== undefined) finding.sidetap.actor_key = d.actorKey;
  if (d.endpoint !== undefined) finding.sidetap.endpoint = d.endpoint;
  if (d.location !== undefined) finding.sidetap.location = { part: d.location.part, name: d.location.name };
  if (d.techniques !== undefined && d.techniques.length > 0) finding.threat = { technique: { id: d.techniques } };
  if (d.user !== undefined && (d.user.id !== undefined || d.user.name !== undefined)) finding.user = d.user as NonNullable<Finding['user']>;
  if (d.sourceIp !== undefined) finding.source = d.sourceGeo === undefined ? { ip: d.sourceIp } : { ip: d.sourceIp, geo: d.sourceGeo };
  return finding;
}


/** Who a finding is about, from the event that completed its evidence; `withEndpoint` adds where. */
export function actorOf(e: Event, withEndpoint: boolean): Pick<FindingDraft, 'actorKey' | 'user' | 'sourceIp' | 'sourceGeo' | 'endpoint'> {
  const who: Pick<FindingDraft, 'actorKey' | 'user' | 'sourceIp' | 'sourceGeo' | 'endpoint'> = { actorKey: e.sidetap.actor_key, sourceIp: e.source.ip };
  if (e.source.geo !== undefined) who.sourceGeo = e.source.geo;
  if (e.user !== undefined) who.user = e.user;
  if (withEndpoint) who.endpoint = e.sidetap.endpoint;
  return who;
}

/** Exchange ids and excerpts of evidence members (`<event id>\t<excerpt>`). */
export function splitMembers(members: readonly string[]): { exchangeIds: string[]; excerpts: string[] } {
  return {
    exchangeIds: members.map((m) => m.slice(0, m.indexOf('\t'))),
    excerpts: members.map((m) => m.slice(m.indexOf('\t') + 1)),
  };
}
