// The riskiest incidents and their evidence, held while the findings stream past. Each finding
// repeats its incident's running totals (risk, findings, categories, start), so an incident's
// numbers are right from its latest finding alone; only the evidence shown is a bounded sample.
import type { FindingView } from './recordViews';
import { Riskiest } from './riskiest';

export interface IncidentSummary {
  id: string;
  actorKey: string | undefined;
  user: string | undefined;
  /** Client addresses of its findings, first seen first, at most MAX_IPS. */
  ips: string[];
  risk: number;
  /** Findings in the incident, from the findings' own running count. */
  findings: number;
  categories: string[];
  start: string;
  /** Time of the latest finding seen. */
  end: string;
  /** The riskiest findings seen, in time order. */
  evidence: FindingView[];
}

const MAX_IPS = 10;

/** Higher risk first, then the more severe, then the earlier. */
export function riskFirst(a: FindingView, b: FindingView): number {
  return b.risk - a.risk || b.severity - a.severity || a.timeMs - b.timeMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

interface Held {
  summary: Omit<IncidentSummary, 'evidence'>;
  endMs: number;
  evidence: Riskiest<FindingView>;
  categories: Set<string>;
}

export class IncidentBoard {
  private readonly held = new Map<string, Held>();
  private started = 0;

  constructor(
    private readonly capacity: number,
    private readonly perIncident: number,
  ) {}

  add(f: FindingView): void {
    const inc = f.incident;
    if (inc === undefined) return;
    let h = this.held.get(inc.id);
    if (inc.findings === 1) this.started++;
    if (h === undefined) {
      h = {
        summary: { id: inc.id, actorKey: f.actorKey, user: f.user, ips: [], risk: 0, findings: 0, categories: [], start: inc.start, end: f.time },
        endMs: f.timeMs,
        evidence: new Riskiest(this.perIncident, riskFirst),
        categories: new Set(),
      };
      this.held.set(inc.id, h);
    }
    const s = h.summary;
    s.risk = Math.max(s.risk, inc.risk);
    s.findings = Math.max(s.findings, inc.findings);
    if (inc.start < s.start) s.start = inc.start;
    if (f.timeMs > h.endMs) {
      h.endMs = f.timeMs;
      s.end = f.time;
    }
    s.user ??= f.user;
    if (f.ip !== undefined && s.ips.length < MAX_IPS && !s.ips.includes(f.ip)) s.ips.push(f.ip);
    for (const c of [...inc.categories, f.category]) h.categories.add(c);
    h.evidence.add(f);
    if (this.held.size > 2 * this.capacity) this.prune();
  }

  /**
   * Incidents seen: each incident's first finding says it is the first, which counts them exactly
   * in bounded memory; an incident that began before a --since cut shows no first finding, so
   * those held are a lower bound too.
   */
  get seen(): number {
    return Math.max(this.started, this.held.size);
  }

  /** The n riskiest incidents, riskiest first. */
  top(n: number): IncidentSummary[] {
    return [...this.held.values()]
      .sort(riskiestIncident)
      .slice(0, n)
      .map((h) => ({
        ...h.summary,
        categories: [...h.categories].sort(),
        evidence: h.evidence.top().sort((a, b) => a.timeMs - b.timeMs || (a.id < b.id ? -1 : 1)),
      }));
  }

  private prune(): void {
    for (const h of [...this.held.values()].sort(riskiestIncident).slice(this.capacity)) this.held.delete(h.summary.id);
  }
}

function riskiestIncident(a: Held, b: Held): number {
  return b.summary.risk - a.summary.risk || b.summary.findings - a.summary.findings || (a.summary.start < b.summary.start ? -1 : a.summary.start > b.summary.start ? 1 : 0);
}
