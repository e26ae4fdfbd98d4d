// Streams findings, then session summaries, into the report's aggregates. Only counts, bounded
// top-k counters, a bounded evidence sample and a hash of each id (so a record stored twice counts
// once) are held. Findings come first: sessions are then tallied only for the actors on the page.
import { OWASP_API_IDS, OWASP_API_TOP_10, RULE_CATEGORY_FAMILIES } from '@sidetap/core';
import { IncidentBoard, riskFirst } from './incidentBoard';
import { findingView, sessionView } from './recordViews';
import type { FindingView } from './recordViews';
import type { ActorContext, Ranked, ReportData } from './reportData';
import type { ReportLimits } from './reportLimits';
import { Riskiest } from './riskiest';
import { SeenIds } from './seenIds';
import { TimeHistogram } from './timeHistogram';
import { TopCounter } from './topCounter';

export interface ReportRange {
  /** Findings at or after this time (epoch ms) are in the report. */
  sinceMs?: number | undefined;
  /** Findings before this time (epoch ms) are in the report. */
  untilMs?: number | undefined;
}

const FAMILY_OF = new Map<string, string>(
  Object.values(RULE_CATEGORY_FAMILIES).flatMap((family) => Object.keys(family.categories).map((c) => [c, family.title] as const)),
);
/** Categories outside the taxonomy (a foreign or future record) are counted under one name. */
const OTHER_CATEGORY = 'other';
const NO_OWASP = 'none';
/** Most distinct devices counted per actor. */
const MAX_DEVICES = 50;
const MAX_CONTEXT_LIST = 10;

interface RankExtra {
  maxRisk: number;
  user: string | undefined;
  ip: string | undefined;
  categories: Set<string>;
}

interface ActorTally extends ActorContext {
  deviceSet: Set<string>;
}

export class ReportAggregator {
  private readonly timeline: TimeHistogram;
  private readonly actors: TopCounter<RankExtra>;
  private readonly endpoints: TopCounter<RankExtra>;
  private readonly incidents: IncidentBoard;
  private readonly lone: Riskiest<FindingView>;
  private readonly byCategory = new Map<string, number>();
  private readonly byOwasp = new Map<string, number>();
  private readonly bySeverity: [number, number, number, number] = [0, 0, 0, 0];
  private total = 0;
  private skipped = 0;
  private repeated = 0;
  private readonly seenFindings = new SeenIds();
  private readonly seenSessions = new SeenIds();
  private withoutActor = 0;
  private withoutEndpoint = 0;
  private first: FindingView | undefined;
  private last: FindingView | undefined;
  private maxRisk = 0;
  private readonly sessions = { total: 0, skipped: 0, requests: 0, errors: 0, bytesSent: 0, bytesReceived: 0 };
  /** Set when the first session arrives: the actors whose sessions are tallied. */
  private context: Map<string, ActorTally> | undefined;

  constructor(
    private readonly limits: ReportLimits,
    private readonly range: ReportRange = {},
  ) {
    this.timeline = new TimeHistogram(limits.timeBuckets);
    const extra = (): RankExtra => ({ maxRisk: 0, user: undefined, ip: undefined, categories: new Set() });
    this.actors = new TopCounter(limits.trackedKeys, extra);
    this.endpoints = new TopCounter(limits.trackedKeys, extra);
    this.incidents = new IncidentBoard(limits.trackedIncidents, limits.findingsPerIncident);
    this.lone = new Riskiest(limits.loneFindings, riskFirst);
  }

  /** One raw finding record from the store; unreadable ones are counted, repeats and out-of-range ones left out. */
  addFinding(raw: unknown): void {
    if (this.context !== undefined) throw new Error('ReportAggregator: findings must all come before the first session');
    const f = findingView(raw, this.limits);
    if (f === undefined) {
      this.skipped++;
      return;
    }
    if (!this.seenFindings.firstTime(f.id)) {
      this.repeated++;
      return;
    }
    if (!this.inRange(f.timeMs, f.timeMs)) return;
    this.total++;
    if (this.first === undefined || f.timeMs < this.first.timeMs) this.first = f;
    if (this.last === undefined || f.timeMs > this.last.timeMs) this.last = f;
    this.maxRisk = Math.max(this.maxRisk, f.risk);
    this.bySeverity[(f.severity - 1) as 0 | 1 | 2 | 3]++;
    this.timeline.add(f.timeMs, f.severity);
    const category = FAMILY_OF.has(f.category) ? f.category : OTHER_CATEGORY;
    this.byCategory.set(category, (this.byCategory.get(category) ?? 0) + 1);
    const owasp = f.owasp !== undefined && f.owasp in OWASP_API_TOP_10 ? f.owasp : NO_OWASP;
    this.byOwasp.set(owasp, (this.byOwasp.get(owasp) ?? 0) + 1);
    if (f.actorKey !== undefined) rank(this.actors.add(f.actorKey), f, category);
    else this.withoutActor++;
    if (f.endpoint !== undefined) rank(this.endpoints.add(f.endpoint), f, category);
    else this.withoutEndpoint++;
    if (f.incident !== undefined) this.incidents.add(f);
    else this.lone.add(f);
  }

  /** A stored line the store could not read back (torn or not JSON): counted with the unreadable records. */
  unreadable(kind: 'finding' | 'session'): void {
    if (kind === 'finding') this.skipped++;
    else this.sessions.skipped++;
  }

  /** One raw session summary; call after every finding. */
  addSession(raw: unknown): void {
    this.context ??= this.actorsOnPage();
    const s = sessionView(raw);
    if (s === undefined) {
      this.sessions.skipped++;
      return;
    }
    if (s.id !== undefined && !this.seenSessions.firstTime(s.id)) return;
    if (!this.inRange(s.startMs, s.endMs)) return;
    const t = this.sessions;
    t.total++;
    t.requests += s.requests;
    t.errors += s.errors;
    t.bytesSent += s.bytesSent;
    t.bytesReceived += s.bytesReceived;
    for (const actor of s.actors) {
      const c = this.context.get(actor);
      if (c === undefined) continue;
      c.sessions++;
      c.requests += s.requests;
      c.errors += s.errors;
      addUpTo(c.clientIps, s.clientIps, MAX_CONTEXT_LIST);
      addUpTo(c.countries, s.countries, MAX_CONTEXT_LIST);
      for (const d of s.devices) if (c.deviceSet.size < MAX_DEVICES) c.deviceSet.add(d);
    }
  }

  finish(meta: { source: string; since?: string | undefined; until?: string | undefined }): ReportData {
    this.context ??= this.actorsOnPage();
    const actors = new Map<string, ActorContext>();
    for (const [key, c] of this.context) {
      actors.set(key, { sessions: c.sessions, requests: c.requests, errors: c.errors, clientIps: c.clientIps, countries: c.countries, devices: c.deviceSet.size });
    }
    return {
      source: meta.source,
      since: meta.since,
      until: meta.until,
      findings: {
        total: this.total,
        skipped: this.skipped,
        repeated: this.repeated,
        first: this.first?.time,
        last: this.last?.time,
        maxRisk: this.maxRisk,
        bySeverity: [...this.bySeverity],
      },
      timeline: this.timeline.series(),
      byCategory: [...this.byCategory]
        .map(([category, count]) => ({ category, family: FAMILY_OF.get(category) ?? OTHER_CATEGORY, count }))
        .sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : 1)),
      byOwasp: [
        ...OWASP_API_IDS.map((id) => ({ id, title: OWASP_API_TOP_10[id], count: this.byOwasp.get(id) ?? 0 })),
        { id: NO_OWASP, title: 'No OWASP API Top 10 risk named', count: this.byOwasp.get(NO_OWASP) ?? 0 },
      ],
      topActors: {
        rows: this.ranked(this.actors),
        exact: this.actors.exact,
        distinctAtLeast: this.actors.distinctAtLeast,
        withoutActor: this.withoutActor,
      },
      topEndpoints: {
        rows: this.ranked(this.endpoints),
        exact: this.endpoints.exact,
        distinctAtLeast: this.endpoints.distinctAtLeast,
        withoutEndpoint: this.withoutEndpoint,
      },
      incidents: { total: this.incidents.seen, shown: this.incidents.top(this.limits.incidents) },
      loneFindings: { total: this.lone.offered, shown: this.lone.top() },
      sessions: { ...this.sessions },
      actors,
    };
  }

  private inRange(startMs: number, endMs: number): boolean {
    const { sinceMs, untilMs } = this.range;
    return (sinceMs === undefined || endMs >= sinceMs) && (untilMs === undefined || startMs < untilMs);
  }

  private ranked(counter: TopCounter<RankExtra>): Ranked[] {
    return counter.top(this.limits.topRows).map((e) => ({
      key: e.key,
      label: e.extra.user ?? e.key,
      findings: e.count,
      overcount: e.overcount,
      maxRisk: e.extra.maxRisk,
      categories: [...e.extra.categories].sort(),
      ip: e.extra.ip,
    }));
  }

  private actorsOnPage(): Map<string, ActorTally> {
    const keys = new Set<string>();
    for (const e of this.actors.top(this.limits.topRows)) keys.add(e.key);
    for (const i of this.incidents.top(this.limits.incidents)) if (i.actorKey !== undefined) keys.add(i.actorKey);
    const map = new Map<string, ActorTally>();
    for (const k of keys) map.set(k, { sessions: 0, requests: 0, errors: 0, clientIps: [], countries: [], devices: 0, deviceSet: new Set() });
    return map;
  }
}

function rank(extra: RankExtra, f: FindingView, category: string): void {
  extra.maxRisk = Math.max(extra.maxRisk, f.risk);
  extra.user ??= f.user;
  extra.ip ??= f.ip;
  extra.categories.add(category);
}

function addUpTo(into: string[], from: readonly string[], max: number): void {
  for (const x of from) {
    if (into.length >= max) return;
    if (!into.includes(x)) into.push(x);
  }
}
