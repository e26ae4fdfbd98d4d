// volume_anomaly: per endpoint (method and template), requests, 5xx answers and latency counted in
// fixed event-time buckets and judged, when event time leaves a bucket, against a seasonal
// baseline (seasonalBaseline.ts). Judgements are tail probabilities with named thresholds plus
// minimum absolute and relative changes, over the last bucket and over longer horizons (a slow
// outage on a quiet endpoint adds up over an hour). A surge of clients each calling no more than
// clients ever have is judged on how many clients came. Counts of the open bucket live in the shared
// state store, so engine instances behind Kafka count together; the baseline is a model every
// instance updates the same way from those shared counts, leaving out buckets that were anomalous.
import { END_OF_STREAM } from '@sidetap/bus';
import { z } from 'zod';
import type { Detector, DetectorEnv } from '../../detector';
import type { FindingDraft } from '../../findingDraft';
import { KeyMemo } from '../../keyMemo';
import { evidenceMember, firstFiring, windowEvidence } from '../../slidingWindow';
import { binMs, formatMs, LATENCY_BINS, latencyBin, quantileBin, SeasonalBaseline } from './seasonalBaseline';
import type { Expectation } from './seasonalBaseline';
import { binomialSurprise, poissonSurprise } from './tailSurprise';
import { BucketSources, clientsOf, dominantSources, excessOver } from './bucketSources';
import type { ClientCount, SourceTally } from './bucketSources';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const volumeAnomalyConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    bucketMs: z
      .number()
      .int()
      .min(MINUTE)
      .max(HOUR)
      .refine((ms) => HOUR % ms === 0, 'must divide an hour (so buckets fall into hour-of-day slots)')
      .default(10 * MINUTE)
      .describe('Length of the fixed event-time buckets requests are counted in.'),
    horizons: z
      .array(z.number().int().min(1).max(24))
      .min(1)
      .default([1, 6])
      .transform((h) => [...new Set(h)].sort((a, b) => a - b))
      .describe('Windows judged when a bucket closes, in buckets: the bucket alone catches sharp changes, longer ones slow outages on quiet endpoints.'),
    latenessMs: z.number().int().min(0).max(HOUR).default(MINUTE).describe('A bucket is judged once an event this much later than its end arrives (or the watermark passes its end).'),
    halfLifeMs: z.number().int().min(HOUR).default(7 * DAY).describe('After learning the baseline keeps learning from normal buckets; what it learned weighs half after this long.'),
    priorWeight: z
      .number()
      .min(0.5)
      .default(6)
      .describe('Buckets of evidence a seasonal slot needs to count as much as the coarser level it falls back on (hour of week → hour of day → level × API daily shape).'),
    minLearnedMs: z.number().int().min(0).default(12 * HOUR).describe('Event time an endpoint must have been learned for before it is judged.'),
    minLearnedRequests: z.number().int().min(1).default(30).describe('Requests an endpoint must have been learned from before it is judged.'),
    minSurprise: z
      .number()
      .min(1)
      .default(6)
      .describe('How improbable a window must be under the baseline, as -log10 of its tail probability (6: one in a million).'),
    levelVariation: z
      .number()
      .min(0)
      .max(2)
      .default(0.25)
      .describe("How far an endpoint's traffic routinely strays from its baseline beyond counting noise (0.25: a quarter); busy endpoints are held to this rather than to Poisson noise."),
    minRatio: z
      .number()
      .min(1)
      .default(3)
      .describe('A surge is at least this many times the expected requests; a client making this many times what the busiest client learned made in a bucket is no ordinary client.'),
    minExtraRequests: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('A surge is at least this many requests above the expected ones; clients that together made fewer than this beyond the busiest client learned (and each under minRatio times it) count as ordinary clients (the surge is then judged on how many clients came).'),
    minErrors: z.number().int().min(1).default(5).describe('An error spike holds at least this many 5xx answers.'),
    minErrorShareIncrease: z.number().min(0).max(1).default(0.1).describe('An error spike raises the 5xx share by at least this much (0.1: ten points).'),
    slowQuantile: z.number().min(0.5).max(0.999).default(0.95).describe('Requests slower than this quantile of learned latency count as slow.'),
    minSlow: z.number().int().min(1).default(5).describe('A latency spike holds at least this many slow requests.'),
    minSlowShare: z.number().min(0).max(1).default(0.5).describe('A latency spike has at least this share of its requests slow.'),
    minLatencySamples: z.number().int().min(1).default(50).describe('Latencies an endpoint must have been learned from before its latency is judged.'),
    drops: z.boolean().default(true).describe("Report an endpoint losing its share of the API's traffic (judged over the longest horizon)."),
    maxDropRatio: z
      .number()
      .min(0)
      .max(1)
      .default(0.2)
      .describe('A drop leaves at most this share of the requests the rest of the API predicts, and of those its own seasonal baseline expects.'),
    minDropRequests: z.number().int().min(1).default(30).describe('A drop misses at least this many requests, against either prediction.'),
    continueSurprise: z
      .number()
      .min(0)
      .default(2)
      .describe('A bucket right after an anomalous one, deviating the same way at least this surprisingly, is part of the incident: kept out of the baseline, not reported again.'),
    cooldownMs: z.number().int().min(MINUTE).default(HOUR).describe('At most one finding per endpoint within this (event time).'),
    dominantShare: z
      .number()
      .min(0.5)
      .max(1)
      .default(0.5)
      .describe('A finding names the timeline or address behind at least this share of the window\'s requests, when one is.'),
    maxEndpoints: z.number().int().min(1).default(1000).describe('Endpoints tracked; further ones are not judged (counted).'),
  })
  .strict();

export type VolumeAnomalyConfig = z.output<typeof volumeAnomalyConfigSchema>;

type Aspect = 'errors' | 'latency' | 'surge' | 'drop';
/** In the order a combined finding names them: an outage first, then slowness, then volume. */
const ASPECTS: readonly Aspect[] = ['errors', 'latency', 'surge', 'drop'];

interface BucketEntry {
  bucket: number;
  requests: number;
  errors5xx: number;
  slow: number;
  expected: Expectation | undefined;
  latency: Float64Array | undefined;
  /** The whole API's requests and expected requests in the bucket (for drops). */
  apiRequests: number;
  apiExpected: number;
  /** After learning, complete, with traffic somewhere on the API. */
  judged: boolean;
  /** Not the capture's partial first or last bucket, nor a silent one. */
  learnable: boolean;
  /** Judged only for what a partial bucket can show (more, never less). */
  partial: boolean;
  flags: Set<Aspect>;
  /** Who sent the bucket's requests. */
  sources: SourceTally | undefined;
  clients: ClientCount | undefined;
}

interface Verdict {
  aspect: Aspect;
  buckets: BucketEntry[];
  surprise: number;
  severity: 1 | 2 | 3 | 4;
}

const sum = (xs: readonly BucketEntry[], f: (e: BucketEntry) => number): number => xs.reduce((n, e) => n + f(e), 0);
/** What each aspect counts in a bucket (a drop counts what is missing, judged over the whole window). */
const COUNT: Record<Exclude<Aspect, 'drop'>, (e: BucketEntry) => number> = { surge: (e) => e.requests, errors: (e) => e.errors5xx, latency: (e) => e.slow };
/**
 * Whether one bucket holds half of the window's count: a longer window is for what builds up over
 * it (a slow outage, a sustained surge); a spike in one bucket was that bucket's to judge.
 */
const concentrated = (win: readonly BucketEntry[], f: (e: BucketEntry) => number): boolean => 2 * Math.max(...win.map(f)) > sum(win, f);
const pct = (x: number): string => (x >= 0.1 || x === 0 ? `${(100 * x).toFixed(0)}%` : x >= 0.001 ? `${(100 * x).toFixed(1)}%` : 'under 0.1%');
/** Keeps a few evidence members per bucket, spread over it: the first few, then every power of two. */
const sampled = (k: number): boolean => k <= 5 || (k & (k - 1)) === 0;

function mergedLatency(win: readonly BucketEntry[]): Float64Array {
  const out = new Float64Array(LATENCY_BINS);
  for (const e of win) if (e.latency !== undefined) for (let i = 0; i < LATENCY_BINS; i++) out[i]! += e.latency[i]!;
  return out;
}

function span(ms: number): string {
  return ms % HOUR === 0 ? `${ms / HOUR} h` : `${ms / MINUTE} min`;
}

function clock(t: number): string {
  return new Date(t).toISOString().slice(11, 16);
}

export function createVolumeAnomaly(config: VolumeAnomalyConfig, deps: { model?: unknown } = {}): Detector {
  const B = config.bucketMs;
  const options = { bucketMs: B, halfLifeMs: config.halfLifeMs, priorWeight: config.priorWeight, slowQuantile: config.slowQuantile };
  const baseline = deps.model === undefined ? new SeasonalBaseline(options) : SeasonalBaseline.import(deps.model, options);
  const maxHorizon = config.horizons[config.horizons.length - 1]!;
  const minLearnedBuckets = config.minLearnedMs / B;
  const rings = new Map<string, BucketEntry[]>();
  /** This instance's latency histograms of buckets not yet closed: endpoint → bucket → histogram. */
  const pendingLatency = new Map<string, Map<number, Float64Array>>();
  const sources = new BucketSources();
  /** Slow thresholds per endpoint, refreshed whenever the baseline changes. */
  const slowBins = new Map<string, number | undefined>();
  /** Per method and endpoint, its name and counter keys (counted on every request). */
  const keys = new KeyMemo((method, template) => {
    const ep = `${method} ${template}`;
    return { ep, n: `va:n:${ep}`, errors: `va:5xx:${ep}`, slow: `va:slow:${ep}` };
  });
  let firstSeen: number | undefined;
  let newest = -Infinity;
  let lastClosed: number | undefined;

  const slowBinOf = (ep: string, bucket: number): number | undefined => {
    if (!slowBins.has(ep)) {
      const x = baseline.expect(ep, bucket);
      slowBins.set(ep, x !== undefined && x.learnedLatencies >= config.minLatencySamples ? x.slowBin : undefined);
    }
    return slowBins.get(ep);
  };

  /** Quasi-Poisson factor of a window of m buckets expecting `expected` requests. */
  const windowDispersion = (x: Expectation, m: number, expected: number): number =>
    x.dispersion * (1 + (m - 1) * x.correlation) + config.levelVariation ** 2 * expected;

  /**
   * How surprising a window's clients are when they called the endpoint no more often than clients
   * ever have: then a surge is more clients at once, and only as surprising as that many clients.
   * A client a little past the busiest learned one (under minRatio times its requests in a
   * bucket, and fewer than minExtraRequests more over the window) still counts as one ordinary
   * client: one user's busy session is that user's, not a surge on the endpoint, and the
   * detectors that judge clients (scraping, rate_limit_probing, enumeration, brute_force) judge
   * it. Clients come one by one (no clustering), but a session spans buckets and the API's level
   * strays as it does for requests. Undefined when clients did more than that.
   */
  function ordinaryClientsSurprise(win: readonly BucketEntry[], x: Expectation): number | undefined {
    const perClient = x.requestsPerClient;
    if (perClient === undefined) return undefined;
    let count = 0;
    let expected = 0;
    let excess = 0;
    for (const e of win) {
      const c = e.clients;
      if (c === undefined) {
        // No requests in the bucket: no clients, and what was expected of it still counts.
        if (e.requests > 0) return undefined;
        expected += e.expected!.requests / perClient;
        continue;
      }
      if (c.largest > x.largestClient) {
        if (c.largest > config.minRatio * x.largestClient) return undefined;
        excess += excessOver(e.sources!, x.largestClient);
        if (excess >= config.minExtraRequests) return undefined;
      }
      count += c.count;
      // Scaled to the share of the bucket this instance saw (all of it, unless distributed).
      expected += (e.expected!.requests * (e.requests > 0 ? Math.min(1, c.requests / e.requests) : 1)) / perClient;
    }
    if (count <= expected) return 0;
    return poissonSurprise(count, expected, 1 + (win.length - 1) * x.correlation + config.levelVariation ** 2 * expected);
  }

  function judgeAspect(aspect: Aspect, win: BucketEntry[], minSurprise: number, strict: boolean): Verdict | undefined {
    const last = win[win.length - 1]!;
    const x = last.expected!;
    const requests = sum(win, (e) => e.requests);
    switch (aspect) {
      case 'surge': {
        const expected = sum(win, (e) => e.expected!.requests);
        if (requests <= expected) return undefined;
        const byClients = ordinaryClientsSurprise(win, x);
        const byRequests = poissonSurprise(requests, expected, windowDispersion(x, win.length, expected));
        const surprise = byClients === undefined ? byRequests : Math.min(byRequests, byClients);
        if (surprise < minSurprise) return undefined;
        if (strict && (requests - expected < config.minExtraRequests || requests < config.minRatio * expected)) return undefined;
        const ratio = requests / Math.max(expected, 1e-9);
        return { aspect, buckets: win, surprise, severity: ratio >= 10 * config.minRatio ? 4 : ratio >= 3 * config.minRatio ? 3 : 2 };
      }
      case 'errors': {
        const errors = sum(win, (e) => e.errors5xx);
        const share = requests > 0 ? errors / requests : 0;
        if (share <= x.errorShare) return undefined;
        const surprise = binomialSurprise(errors, requests, x.errorShare);
        if (surprise < minSurprise) return undefined;
        if (strict && (errors < config.minErrors || share - x.errorShare < config.minErrorShareIncrease)) return undefined;
        return { aspect, buckets: win, surprise, severity: share >= 0.5 ? 4 : share >= 0.2 ? 3 : 2 };
      }
      case 'latency': {
        if (x.slowBin === undefined || x.learnedLatencies < config.minLatencySamples) return undefined;
        const slow = sum(win, (e) => e.slow);
        const share = requests > 0 ? slow / requests : 0;
        if (share <= x.slowShare) return undefined;
        const surprise = binomialSurprise(slow, requests, x.slowShare);
        if (surprise < minSurprise) return undefined;
        if (strict && (slow < config.minSlow || share < config.minSlowShare)) return undefined;
        const p90 = quantileBin(mergedLatency(win), 0.9);
        const ratio = p90 === undefined || x.p90Ms === undefined ? 1 : binMs(p90) / x.p90Ms;
        return { aspect, buckets: win, surprise, severity: ratio >= 10 ? 3 : 2 };
      }
      case 'drop': {
        const api = sum(win, (e) => e.apiRequests);
        const apiExpected = sum(win, (e) => e.apiExpected);
        if (api <= 0 || apiExpected <= 0) return undefined;
        // The endpoint's expected share of whatever the whole API received: a quiet night or a
        // slow day lowers every endpoint alike and is no drop of this one.
        const own = sum(win, (e) => e.expected!.requests);
        const share = Math.min(1, own / apiExpected);
        const expected = share * api;
        if (requests >= expected) return undefined;
        const surprise = binomialSurprise(requests, api, share, windowDispersion(x, win.length, expected));
        if (surprise < minSurprise) return undefined;
        // Nor is a flood elsewhere (an attack on another endpoint swells the share this one is held
        // to): a drop is also far below what its own seasonal baseline expects.
        const far = (reference: number): boolean => requests <= config.maxDropRatio * reference && reference - requests >= config.minDropRequests;
        if (strict && !(far(expected) && far(own))) return undefined;
        return { aspect, buckets: win, surprise, severity: requests === 0 ? 3 : 2 };
      }
    }
  }

  /** Judges the endpoint's newest bucket and the windows it closes; returns what is newly anomalous. */
  function judgeEndpoint(ring: BucketEntry[]): Verdict[] {
    const cur = ring[ring.length - 1]!;
    const x = cur.expected;
    if (!cur.judged || x === undefined || x.learnedBuckets < minLearnedBuckets || x.learnedRequests < config.minLearnedRequests) return [];
    const prev = ring[ring.length - 2];
    if (prev !== undefined && prev.bucket === cur.bucket - 1) {
      for (const aspect of prev.flags) if (aspect !== 'drop' && judgeAspect(aspect, [cur], config.continueSurprise, false) !== undefined) cur.flags.add(aspect);
    }
    const verdicts: Verdict[] = [];
    for (const m of config.horizons) {
      const win = ring.slice(-m);
      if (win.length < m || win.some((e, i) => e.bucket !== cur.bucket - m + 1 + i || !e.judged || e.expected === undefined)) continue;
      for (const aspect of ASPECTS) {
        if (win.some((e) => e.flags.has(aspect))) continue;
        if (aspect === 'drop' && (!config.drops || m !== maxHorizon || win.some((e) => e.partial))) continue;
        if (aspect !== 'drop' && m > 1 && concentrated(win, COUNT[aspect])) continue;
        const v = judgeAspect(aspect, win, config.minSurprise, true);
        if (v === undefined) continue;
        for (const e of win) e.flags.add(aspect);
        verdicts.push(v);
      }
    }
    return verdicts;
  }

  async function draft(ep: string, verdicts: Verdict[], env: DetectorEnv): Promise<FindingDraft> {
    const primary = verdicts.reduce((a, b) => (ASPECTS.indexOf(b.aspect) < ASPECTS.indexOf(a.aspect) ? b : a));
    const win = primary.buckets;
    const x = win[win.length - 1]!.expected!;
    const from = win[0]!.bucket * B;
    const to = (win[win.length - 1]!.bucket + 1) * B;
    const requests = sum(win, (e) => e.requests);
    const expected = sum(win, (e) => e.expected!.requests);
    const errors = sum(win, (e) => e.errors5xx);
    const p90Bin = quantileBin(mergedLatency(win), 0.9);
    const p90 = p90Bin === undefined ? undefined : binMs(p90Bin);
    const share = requests > 0 ? errors / requests : 0;
    const band = 2 * Math.sqrt(windowDispersion(x, win.length, expected) * expected);
    const dur = span(to - from);
    const kind = primary.aspect === 'errors' ? '5xx' : primary.aspect === 'latency' ? 'slow' : 'n';
    const ev = await windowEvidence(env.state, `va:ev:${kind}:${ep}`, from, to - 1);
    const observed = `${requests} requests, ${pct(share)} 5xx${p90 === undefined ? '' : `, p90 ${formatMs(p90)}`} in ${dur}`;
    const expectedText = `${Math.max(0, Math.floor(expected - band))}-${Math.ceil(expected + band)} requests (about ${expected.toFixed(1)}), ${pct(x.errorShare)} 5xx${x.p90Ms === undefined ? '' : `, p90 ${formatMs(x.p90Ms)}`}`;
    const when = `the ${dur} to ${clock(to)} UTC`;
    const also = verdicts.filter((v) => v.aspect !== primary.aspect).map((v) => v.aspect);
    const alsoText = also.length === 0 ? '' : ` (also ${also.map((a) => (a === 'errors' ? 'more 5xx' : a === 'latency' ? 'slower' : a === 'surge' ? 'more requests' : 'fewer requests')).join(', ')})`;
    const rule = {
      errors: { id: 'volume_anomaly.error_spike', name: 'Endpoint answering far more 5xx than its baseline' },
      latency: { id: 'volume_anomaly.latency_spike', name: 'Endpoint far slower than its baseline' },
      surge: { id: 'volume_anomaly.surge', name: 'Endpoint receiving far more requests than its seasonal baseline' },
      drop: { id: 'volume_anomaly.drop', name: "Endpoint receiving far fewer requests than its share of the API's traffic" },
    }[primary.aspect];
    const message = {
      errors: `${ep} answered ${pct(share)} of ${requests} requests with 5xx in ${when}, where ${pct(x.errorShare)} is usual${alsoText}.`,
      latency: `${ep} slowed down in ${when}: p90 ${p90 === undefined ? '-' : formatMs(p90)} over ${requests} requests against a learned p90 of ${x.p90Ms === undefined ? '-' : formatMs(x.p90Ms)}${alsoText}.`,
      surge: `${ep} received ${requests} requests in ${when}, ${(requests / Math.max(expected, 0.1)).toFixed(1)} times the ${expected.toFixed(1)} expected at this hour${alsoText}.`,
      drop: `${ep} received ${requests} requests in ${when}, far below its usual share of the API's traffic${alsoText}.`,
    }[primary.aspect];
    const who = dominantSources(
      win.map((e) => e.sources),
      config.dominantShare,
    );
    const byText = [who.actor !== undefined ? `${pct(who.actor.share)} from ${who.actor.name}` : '', who.ip !== undefined ? `${pct(who.ip.share)} from ${who.ip.name}` : '']
      .filter((x) => x !== '')
      .join(', ');
    const severity = verdicts.reduce((s, v) => (v.severity > s ? v.severity : s), 1 as 1 | 2 | 3 | 4);
    const surprise = Math.max(...verdicts.map((v) => v.surprise));
    const d: FindingDraft = {
      detector: 'volume_anomaly',
      rule: { ...rule, category: 'volume_anomaly' },
      severity,
      confidence: Math.min(1, Math.max(0.5, surprise / (3 * config.minSurprise))),
      endpoint: ep.slice(ep.indexOf(' ') + 1),
      window: ev.exchangeIds.length > 0 ? { start: ev.start, end: ev.end } : { start: from, end: to - 1 },
      exchangeIds: ev.exchangeIds,
      excerpts: ev.excerpts,
      observed,
      expected: expectedText,
      message: byText === '' ? message : `${message.slice(0, -1)}; ${byText}.`,
    };
    if (who.actor !== undefined) {
      if (who.actor.name.startsWith('user:')) d.user = { name: who.actor.name.slice(5) };
      else d.actorKey = who.actor.name;
    }
    if (who.ip !== undefined) d.sourceIp = who.ip.name;
    if (verdicts.some((v) => v.aspect === 'surge')) {
      d.owasp = 'API4:2023';
      d.techniques = ['T1499.003'];
    }
    return d;
  }

  /** Moves the endpoint's oldest buckets out of the ring, teaching the baseline those that were normal. */
  function ageRings(limit: number): void {
    const api = new Map<number, [number, number]>();
    for (const ep of baseline.names()) {
      const ring = rings.get(ep);
      if (ring === undefined) continue;
      while (ring.length > limit) {
        const old = ring.shift()!;
        if (!old.learnable) continue;
        const normal = old.flags.size === 0;
        if (normal) baseline.learn(ep, { bucket: old.bucket, requests: old.requests, errors5xx: old.errors5xx, latency: old.latency ?? [], clients: old.clients });
        // The whole API's rhythm counts an anomalous bucket at what was expected of it.
        const a = api.get(old.bucket) ?? [0, 0];
        a[0] += normal || old.expected === undefined ? old.requests : Math.min(old.requests, old.expected.requests);
        a[1] += normal ? old.errors5xx : 0;
        api.set(old.bucket, a);
      }
    }
    for (const [bucket, [requests, errors]] of [...api.entries()].sort((a, b) => a[0] - b[0])) baseline.learnApi(bucket, requests, errors);
  }

  async function closeBucket(b: number, env: DetectorEnv, last: boolean): Promise<FindingDraft[]> {
    const start = b * B;
    const names = baseline.names();
    const reads = await Promise.all(
      names.map(async (ep) => [
        await env.state.sumWindows(`va:n:${ep}`, start, B, 1),
        await env.state.sumWindows(`va:5xx:${ep}`, start, B, 1),
        await env.state.sumWindows(`va:slow:${ep}`, start, B, 1),
      ]),
    );
    const apiRequests = reads.reduce((n, r) => n + r[0]!, 0);
    const expectations = names.map((ep) => baseline.expect(ep, b));
    const apiExpected = expectations.reduce((n, x) => n + (x?.requests ?? 0), 0);
    const partialStart = firstSeen !== undefined && start < firstSeen;
    // A bucket with no traffic anywhere is a gap in what was seen, not a quiet API.
    const silent = apiRequests === 0;
    const judged = !env.learning(start + B - 1) && !silent && !partialStart;
    const out: FindingDraft[] = [];
    for (let i = 0; i < names.length; i++) {
      const ep = names[i]!;
      const [requests, errors5xx, slow] = reads[i]!;
      const pending = pendingLatency.get(ep);
      const latency = pending?.get(b);
      pending?.delete(b);
      if (pending !== undefined && pending.size === 0) pendingLatency.delete(ep);
      let ring = rings.get(ep);
      if (ring === undefined) rings.set(ep, (ring = []));
      const tally = sources.take(ep, b);
      ring.push({
        bucket: b,
        requests: requests!,
        errors5xx: errors5xx!,
        slow: slow!,
        expected: expectations[i],
        latency,
        apiRequests,
        apiExpected,
        judged,
        learnable: !silent && !partialStart && !last,
        partial: last,
        flags: new Set(),
        sources: tally,
        clients: clientsOf(tally),
      });
      const verdicts = judgeEndpoint(ring);
      if (verdicts.length === 0) continue;
      env.counters.inc('anomaly_volume_buckets_flagged_total');
      if (!(await firstFiring(env.state, `va:fired:${ep}`, start + B, config.cooldownMs))) continue;
      out.push(await draft(ep, verdicts, env));
    }
    if (judged) env.counters.inc('anomaly_volume_buckets_judged_total');
    ageRings(maxHorizon);
    baseline.age();
    slowBins.clear();
    return out;
  }

  /** Closes every bucket that ended at or before `limit`; at the end of the stream, the last (partial) one too. */
  async function closeUntil(limit: number, env: DetectorEnv, final: boolean): Promise<FindingDraft[]> {
    if (firstSeen === undefined) return [];
    const target = final ? Math.floor(newest / B) : Math.floor(limit / B) - 1;
    let from = lastClosed === undefined ? Math.floor(firstSeen / B) : lastClosed + 1;
    if (target < from) {
      if (final) ageRings(0);
      return [];
    }
    // Across a long silence only the buckets the horizons still reach matter; the baseline skips the rest.
    if (target - from > (7 * DAY) / B) {
      ageRings(0);
      from = target - maxHorizon;
    }
    const out: FindingDraft[] = [];
    for (let b = from; b <= target; b++) {
      lastClosed = b;
      out.push(...(await closeBucket(b, env, final && b === target)));
    }
    if (final) ageRings(0);
    return out;
  }

  return {
    name: 'volume_anomaly',
    categories: ['volume_anomaly'],
    exportModel: () => baseline.export(),
    modelSummary: () => baseline.summary(),
    async observe(e, t, env) {
      const k = keys.of(e.http.request.method, e.sidetap.endpoint);
      const ep = k.ep;
      if (!baseline.has(ep)) {
        if (baseline.size >= config.maxEndpoints) {
          env.counters.inc('anomaly_volume_endpoints_dropped_total');
          return [];
        }
        baseline.add(ep, env.learning(t));
      }
      if (firstSeen === undefined || t < firstSeen) firstSeen = t;
      if (t > newest) newest = t;
      const out = await closeUntil(t - config.latenessMs, env, false);
      const b = Math.floor(t / B);
      if (lastClosed !== undefined && b <= lastClosed) {
        env.counters.inc('anomaly_volume_events_late_total');
        return out;
      }
      const learning = env.learning(t);
      const n = await env.state.incrWindow(k.n, t, B);
      const status = e.http.response?.status_code ?? 0;
      const errors = status >= 500 ? await env.state.incrWindow(k.errors, t, B) : 0;
      let slow = 0;
      if (e.event.duration !== undefined) {
        const bin = latencyBin(e.event.duration / 1e6);
        let pending = pendingLatency.get(ep);
        if (pending === undefined) pendingLatency.set(ep, (pending = new Map()));
        let hist = pending.get(b);
        if (hist === undefined) pending.set(b, (hist = new Float64Array(LATENCY_BINS)));
        hist[bin]! += 1;
        const slowBin = learning ? undefined : slowBinOf(ep, b);
        if (slowBin !== undefined && bin > slowBin) slow = await env.state.incrWindow(k.slow, t, B);
      }
      sources.add(ep, b, e.source.ip, e.sidetap.session.timeline);
      if (!learning) {
        // Evidence for a finding this bucket may raise: a few of its requests, its 5xx and its slow ones.
        const keep = (maxHorizon + 1) * B;
        const member = evidenceMember(e);
        for (const [kind, k] of [['n', n], ['5xx', errors], ['slow', slow]] as const) {
          if (k === 0 || !sampled(k)) continue;
          await env.state.zAdd(`va:ev:${kind}:${ep}`, t, member);
          await env.state.zTrim(`va:ev:${kind}:${ep}`, t - keep);
        }
      }
      return out;
    },
    async flush(watermark, env) {
      return closeUntil(watermark, env, watermark >= END_OF_STREAM);
    },
  };
}
