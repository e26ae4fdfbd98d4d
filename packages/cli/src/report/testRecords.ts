// Findings and session summaries for the report's tests: valid records (they pass the core
// schemas) built from a few varying parts, so each test states only what it is about.
import type { Finding, RuleCategory, SessionSummary } from '@sidetap/core';
import { findingId } from '@sidetap/core';

export interface FindingParts {
  at: string;
  severity?: 1 | 2 | 3 | 4;
  risk?: number;
  category?: RuleCategory;
  owasp?: Finding['sidetap']['owasp_api'];
  actor?: string;
  user?: string;
  endpoint?: string;
  message?: string;
  excerpts?: string[];
  observed?: string | number;
  incident?: { id: string; risk: number; findings: number; categories?: RuleCategory[]; start?: string };
  exchangeIds?: string[];
}

let serial = 0;

export function testFinding(p: FindingParts): Finding {
  const category = p.category ?? 'sqli';
  const exchangeIds = p.exchangeIds ?? [`ex-${++serial}`];
  const window = { start: p.at, end: p.at };
  const f: Finding = {
    '@timestamp': p.at,
    event: {
      kind: 'alert',
      id: findingId({ ruleId: `${category}.test`, exchangeIds, window }),
      severity: p.severity ?? 3,
      risk_score: p.risk ?? 70,
      dataset: 'sidetap.finding',
    },
    rule: { id: `${category}.test`, name: `Test ${category}`, category },
    message: p.message ?? `A ${category} finding.`,
    sidetap: {
      detector: 'test',
      evidence: { exchange_ids: exchangeIds, excerpts: p.excerpts ?? ['GET /api/v1/things'], window, ...(p.observed !== undefined ? { observed: p.observed } : {}) },
      capture_quality: { complete: true, flags: [] },
      ...(p.owasp !== undefined ? { owasp_api: p.owasp } : {}),
      ...(p.actor !== undefined ? { actor_key: p.actor } : {}),
      ...(p.endpoint !== undefined ? { endpoint: p.endpoint } : {}),
      ...(p.incident !== undefined
        ? {
            incident: {
              id: p.incident.id,
              risk_score: p.incident.risk,
              findings: p.incident.findings,
              categories: p.incident.categories ?? [category],
              start: p.incident.start ?? p.at,
            },
          }
        : {}),
    },
  };
  if (p.user !== undefined) f.user = { name: p.user };
  return f;
}

/** A 32-hex-digit incident id from a small number. */
export function incidentId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

export function testSession(p: { actor: string; start: string; end: string; requests: number; errors?: number; ips?: string[]; countries?: string[]; devices?: string[] }): SessionSummary {
  return {
    '@timestamp': p.start,
    event: { id: `s-${++serial}`, kind: 'event', dataset: 'sidetap.session', start: p.start, end: p.end, duration: (Date.parse(p.end) - Date.parse(p.start)) * 1e6 },
    sidetap: {
      actor_key: p.actor,
      actor: { kind: 'ip', id: p.actor },
      session: {
        id: `s-${serial}`,
        timeline: p.actor,
        requests: p.requests,
        endpoints: 1,
        endpoint_list: ['/api/v1/things'],
        client_ips: p.ips ?? [],
        countries: p.countries ?? [],
        devices: p.devices ?? [],
        actors: [p.actor],
        bytes_sent: 100 * p.requests,
        bytes_received: 1000 * p.requests,
        errors: p.errors ?? 0,
        error_ratio: (p.errors ?? 0) / p.requests,
        closed_by: 'inactivity',
      },
    },
  };
}
