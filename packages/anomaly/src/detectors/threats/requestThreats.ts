// request_threats: the signature detector for injections. Every part of a request (path
// segments, query parameters and odd names, form fields, multipart parts, JSON leaves, XML text,
// header and cookie values) is decoded layer by layer and judged by each engine of
// threatEngines.ts; matches are scored as the OWASP Core Rule Set scores anomalies, and a request
// whose score reaches its paranoia level's threshold gives one finding per category, naming the
// part. Signatures need no baseline, so they fire during the learning period too.
import type { CaptureFlag, Counters, Event } from '@sidetap/core';
import type { Detector } from '../../detector';
import { actorOf } from '../../findingDraft';
import type { FindingDraft } from '../../findingDraft';
import { eventEvidence } from '../../slidingWindow';
import { normalise } from '../../threats/normalise';
import { extractRequestParts } from '../../threats/requestParts';
import { honestLayers } from '../../threats/requestPart';
import type { RequestPart } from '../../threats/requestPart';
import { defaultFamily, THREAT_ENGINES } from '../../threats/threatEngines';
import type { ThreatEngine } from '../../threats/threatEngines';
import type { ThreatMatch } from '../../threats/threatMatch';
import { fragmentText, partPhrase } from './partText';
import type { RequestThreatsConfig } from './requestThreatsConfig';
import { combinedConfidence, matchPoints, severityOf } from './threatScore';

export { requestThreatsConfigSchema } from './requestThreatsConfig';
export type { RequestThreatsConfig } from './requestThreatsConfig';

/** One engine's best match on one part's value. */
interface Judgement {
  engine: ThreatEngine;
  match: ThreatMatch;
  points: number;
  /** Decoding layers beyond what an honest client applies, when the match needed decoding. */
  extraLayers: number;
}

/** One engine's best match on one part. */
interface PartMatch extends Judgement {
  part: RequestPart;
}

const NONE: Judgement[] = [];
/** Longer values are judged every time rather than remembered. */
const MEMO_VALUE_LENGTH = 512;

/** What a detector run over one event found, before scoring decides whether it is reported. */
export interface RequestVerdict {
  paranoia: number;
  matches: PartMatch[];
  total: number;
  capped: boolean;
  partsInspected: number;
}

const MAX_EXCERPT_PARTS = 5;

/**
 * Values made only of letters, digits, `_`, `-` and at most one `.` (ids, numbers, prices, words,
 * UUIDs, versions) hold no injection of any kind: engines never see them.
 */
function isPlainToken(s: string): boolean {
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d) continue;
    if (c === 0x2e && ++dots === 1) continue;
    return false;
  }
  return true;
}

export class RequestThreats implements Detector {
  readonly name = 'request_threats';
  readonly categories = [...new Set(THREAT_ENGINES.map((e) => e.category))];
  private readonly paranoiaByEndpoint = new Map<string, number>();
  private readonly memo = new Map<string, readonly Judgement[]>();

  constructor(
    private readonly config: RequestThreatsConfig,
    private readonly counters: Counters,
    private readonly engines: readonly ThreatEngine[] = THREAT_ENGINES,
  ) {
    for (const o of config.endpoints) this.paranoiaByEndpoint.set(`${o.method?.toUpperCase() ?? '*'} ${o.endpoint}`, o.paranoia);
  }

  paranoiaOf(e: Event): number {
    if (this.paranoiaByEndpoint.size === 0) return this.config.paranoia;
    const endpoint = e.sidetap.endpoint;
    return (
      this.paranoiaByEndpoint.get(`${e.http.request.method.toUpperCase()} ${endpoint}`) ?? this.paranoiaByEndpoint.get(`* ${endpoint}`) ?? this.config.paranoia
    );
  }

  /** Parts, decoding and engines over one event: every match with its points. */
  inspect(e: Event): RequestVerdict {
    const paranoia = this.paranoiaOf(e);
    const { parts, capped } = extractRequestParts(e, this.config.parts);
    this.counters.inc('anomaly_threat_parts_inspected_total', parts.length);
    if (capped) this.counters.inc('anomaly_threat_requests_capped_total');
    const matches: PartMatch[] = [];
    const fold = paranoia >= 2;
    for (const part of parts) {
      if (!part.document && isPlainToken(part.value)) continue;
      const judged = this.judge(part, fold);
      for (const j of judged) {
        this.counters.inc(`anomaly_threat_matches_total{category="${j.engine.category}"}`);
        matches.push({ part, ...j });
      }
    }
    // Each part counts once per category, by its strongest engine there.
    const counted = new Map<string, number>();
    for (const m of matches) {
      const key = `${m.engine.category}\u0000${m.part.location}\u0000${m.part.name}\u0000${m.part.key ? 'k' : m.part.document ? 'd' : 'v'}`;
      counted.set(key, Math.max(counted.get(key) ?? 0, m.points));
    }
    let total = 0;
    for (const p of counted.values()) total += p;
    return { paranoia, matches, total, capped, partsInspected: parts.length };
  }

  /**
   * Every engine's best match on one part's value, memoised by value: header values (user
   * agents, Accept), cookies and common parameter values repeat across requests, and engines are
   * pure. The memo is bounded and starts over when full.
   */
  private judge(part: RequestPart, fold: boolean): readonly Judgement[] {
    const cacheable = part.value.length <= MEMO_VALUE_LENGTH && this.config.memoEntries > 0;
    const key = cacheable ? `${part.location}${part.encoding}${fold ? 1 : 0}${part.document ? 'd' : 'v'}\u0000${part.value}` : '';
    if (cacheable) {
      const hit = this.memo.get(key);
      if (hit !== undefined) return hit;
    }
    const norm = normalise(part.value, { plusIsSpace: part.encoding === 'form', maxRounds: this.config.maxDecodeRounds, fold });
    const extraLayers = Math.max(0, norm.layers - honestLayers(part.encoding));
    const evasion = (extraLayers > 0 ? 1 : 0) + (norm.tricks ? 1 : 0);
    let judged: Judgement[] = NONE;
    for (const engine of this.engines) {
      if (!applies(engine, part)) continue;
      let best: ThreatMatch | undefined;
      let decoded = false;
      for (let i = 0; i < norm.forms.length; i++) {
        const m = engine.engine(norm.forms[i]!);
        if (m !== undefined && (best === undefined || m.confidence > best.confidence)) {
          best = m;
          decoded = i > 0;
        }
      }
      if (best === undefined) continue;
      if (judged === NONE) judged = [];
      judged.push({ engine, match: best, points: matchPoints(best.confidence) + (decoded ? evasion : 0), extraLayers: decoded ? extraLayers : 0 });
    }
    if (cacheable) {
      if (this.memo.size >= this.config.memoEntries) {
        this.memo.clear();
        this.counters.inc('anomaly_threat_memo_resets_total');
      }
      this.memo.set(key, judged);
    }
    return judged;
  }

  /** Synchronous: signatures need no state, so the engine never waits on this detector. */
  observe(e: Event, t: number): FindingDraft[] {
    const verdict = this.inspect(e);
    if (verdict.matches.length === 0 || verdict.total < this.config.thresholds[verdict.paranoia - 1]!) return [];
    const byCategory = new Map<string, PartMatch[]>();
    for (const m of verdict.matches) {
      const list = byCategory.get(m.engine.category);
      if (list === undefined) byCategory.set(m.engine.category, [m]);
      else list.push(m);
    }
    const drafts: FindingDraft[] = [];
    for (const list of byCategory.values()) drafts.push(this.draft(e, t, verdict, list));
    return drafts;
  }

  private draft(e: Event, t: number, verdict: RequestVerdict, list: PartMatch[]): FindingDraft {
    list.sort((a, b) => b.points - a.points || b.match.confidence - a.match.confidence);
    const top = list[0]!;
    const engine = top.engine;
    const family = (engine.family ?? defaultFamily)(top.match);
    const where = partPhrase(top.part);
    const fragment = fragmentText(top.part, top.match.fragment);
    const notes = [`request score ${verdict.total} at paranoia ${verdict.paranoia}`];
    if (top.extraLayers > 0) notes.push(`decoded ${top.extraLayers} extra layer${top.extraLayers > 1 ? 's' : ''}`);
    if (list.length > 1) notes.push(`${list.length} parts matched`);
    if (verdict.capped) notes.push('inspection capped');
    const evidence = eventEvidence(e);
    return {
      detector: this.name,
      rule: { id: `${engine.category}.${family}`, name: `${engine.title} (${family.replace(/_/g, ' ')})`, category: engine.category },
      severity: severityOf(verdict.total),
      confidence: combinedConfidence(list.map((m) => m.match.confidence)),
      owasp: engine.owasp,
      techniques: [...engine.techniques],
      ...actorOf(e, true),
      window: { start: t, end: t },
      exchangeIds: evidence.exchangeIds,
      excerpts: [
        ...evidence.excerpts,
        ...list.slice(0, MAX_EXCERPT_PARTS).map((m) => `${partPhrase(m.part)}: ${fragmentText(m.part, m.match.fragment)} [${m.match.fingerprint}] ${m.match.reason}`),
      ],
      observed: `${where}: ${fragment}`,
      location: { part: top.part.location, name: top.part.name },
      flags: e.sidetap.capture.flags as CaptureFlag[],
      message: `${engine.title} in ${where} of ${e.http.request.method} ${e.sidetap.endpoint} from ${e.source.ip}: ${top.match.reason} (${notes.join('; ')}).`,
    };
  }
}

function applies(engine: ThreatEngine, part: RequestPart): boolean {
  if (part.document ? engine.documents === undefined : engine.documents === 'only') return false;
  return engine.locations === undefined || engine.locations.includes(part.location);
}

export function createRequestThreats(config: RequestThreatsConfig, deps: { counters: Counters }): RequestThreats {
  return new RequestThreats(config, deps.counters);
}
