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
import type { PartEncoding, PartLocation, RequestPart } from '../../threats/requestPart';
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
/** Small numbers for where a part sits and how it travels, which pick its map in the memo. */
const LOCATION_CODES: Record<PartLocation, number> = { path: 0, query: 1, form: 2, multipart: 3, json: 4, xml: 5, header: 6, cookie: 7 };
const ENCODING_CODES: Record<PartEncoding, number> = { form: 0, url: 1, plain: 2 };
/** Longer values are judged every time rather than remembered. */
const MEMO_VALUE_LENGTH = 512;
/** Header names whose last value is remembered. */
const MAX_HEADER_NAMES = 256;

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
  /**
   * Judgements by how a value travels (location, encoding, folding, document), then by the value
   * itself: looking a value up on its own hashes the string the event already holds, where one
   * key joining both would be built, copied and hashed afresh for every part.
   */
  private readonly memo = new Map<number, Map<string, readonly Judgement[]>>();
  /** Values remembered over every map of `memo`. */
  private memoSize = 0;
  /**
   * In front of `memo` for header values: the last value of each header name (names are interned
   * strings, so finding one costs no hashing) and its judgement. A client sends the same Host,
   * Accept and User-Agent again and again, and comparing a value with the last one is cheaper
   * than hashing it. It holds only values `memo` holds, and is cleared with it.
   */
  private readonly lastHeaders = new Map<number, Map<string, { value: string; judged: readonly Judgement[] }>>();

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
    let memo: Map<string, readonly Judgement[]> | undefined;
    let last: Map<string, { value: string; judged: readonly Judgement[] }> | undefined;
    if (cacheable) {
      const way = ((LOCATION_CODES[part.location] * 3 + ENCODING_CODES[part.encoding]) * 2 + (fold ? 1 : 0)) * 2 + (part.document ? 1 : 0);
      if (part.location === 'header') {
        last = this.lastHeaders.get(way);
        if (last === undefined) this.lastHeaders.set(way, (last = new Map()));
        const seen = last.get(part.name);
        if (seen !== undefined && seen.value === part.value) return seen.judged;
      }
      memo = this.memo.get(way);
      if (memo === undefined) this.memo.set(way, (memo = new Map()));
      const hit = memo.get(part.value);
      if (hit !== undefined) {
        if (last !== undefined) this.rememberHeader(last, part, hit);
        return hit;
      }
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
    if (memo !== undefined) {
      if (this.memoSize >= this.config.memoEntries) {
        for (const m of this.memo.values()) m.clear();
        for (const m of this.lastHeaders.values()) m.clear();
        this.memoSize = 0;
        this.counters.inc('anomaly_threat_memo_resets_total');
      }
      memo.set(part.value, judged);
      this.memoSize++;
      if (last !== undefined) this.rememberHeader(last, part, judged);
    }
    return judged;
  }

  private rememberHeader(last: Map<string, { value: string; judged: readonly Judgement[] }>, part: RequestPart, judged: readonly Judgement[]): void {
    const seen = last.get(part.name);
    if (seen !== undefined) {
      seen.value = part.value;
      seen.judged = judged;
      return;
    }
    // Header names are the client's to choose: a flood of made-up ones starts this over.
    if (last.size >= MAX_HEADER_NAMES) last.clear();
    last.set(part.name, { value: part.value, judged });
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
