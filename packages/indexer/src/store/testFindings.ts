// Findings, events and store helpers for the store's tests: realistic records with chosen fields.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '@sidetap/core';

export function tempStore(): string {
  return mkdtempSync(join(tmpdir(), 'sidetap-store-'));
}

export interface FindingParts {
  n: number;
  time?: string;
  severity?: 1 | 2 | 3 | 4;
  category?: Finding['rule']['category'];
  actor?: string;
  user?: string;
  ip?: string;
  endpoint?: string;
}

export function finding(p: FindingParts): Finding {
  const time = p.time ?? new Date(Date.UTC(2024, 4, 1, 12) + p.n * 1000).toISOString();
  const category = p.category ?? 'enumeration';
  return {
    '@timestamp': time,
    event: { kind: 'alert', id: p.n.toString(16).padStart(32, '0'), severity: p.severity ?? 3, risk_score: 70, dataset: 'sidetap.finding' },
    rule: { id: `${category}.rule`, name: `${category} rule`, category },
    ...(p.user !== undefined ? { user: { name: p.user } } : {}),
    ...(p.ip !== undefined ? { source: { ip: p.ip } } : {}),
    message: `finding ${p.n}: ${category} by ${p.user ?? p.actor ?? p.ip ?? 'nobody'} — ünïcode → here.`,
    sidetap: {
      detector: 'test',
      ...(p.actor !== undefined ? { actor_key: p.actor } : {}),
      ...(p.endpoint !== undefined ? { endpoint: p.endpoint } : {}),
      evidence: { exchange_ids: [`ex-${p.n}`], excerpts: [`GET /x/${p.n}`], window: { start: time, end: time } },
      capture_quality: { complete: true, flags: [] },
    },
  };
}

export function findings(from: number, to: number, parts: Omit<FindingParts, 'n'> = {}): Finding[] {
  const out: Finding[] = [];
  for (let n = from; n < to; n++) out.push(finding({ ...parts, n }));
  return out;
}

/** An event-shaped record: only what the store looks at (@timestamp, event.id) and some bulk. */
export function event(n: number, time = new Date(Date.UTC(2024, 4, 1, 12) + n * 1000).toISOString()): Record<string, unknown> {
  return { '@timestamp': time, event: { id: `ev-${n}`, kind: 'event', dataset: 'sidetap.event' }, url: { path: `/api/v1/items/${n}` }, pad: 'x'.repeat(200) };
}
