// The seasonal baseline of volume_anomaly: per endpoint, requests per bucket by hour of day and
// hour of week, the share of 5xx answers and the latency distribution, all forgetting with a
// half-life. An expectation falls back level by level (credibility weighting): a week slot leans
// on its hour of day in proportion to how little it has seen, an hour of day on the endpoint's
// overall level shaped by the whole API's daily rhythm, so 24 h of learning already gives a
// sensible expectation for every hour and more history sharpens it. It also learns how many
// requests a client (timeline) makes in a bucket, and the most one ever made: requests come in
// sessions, so a handful of ordinary clients at once can multiply a quiet endpoint's count.
import { z } from 'zod';

const HOUR = 3_600_000;
export const HOURS_PER_WEEK = 168;
export const VOLUME_BASELINE_FORMAT = 'sidetap-volume-baseline/2';
/** The format before the clients were learned; still loads (nothing known of its clients). */
const VOLUME_BASELINE_FORMAT_1 = 'sidetap-volume-baseline/1';
/**
 * Client-buckets the whole API must have learned before what a client makes is trusted, and an
 * endpoint's own count of them at which its clients weigh as much as the whole API's.
 */
const MIN_CLIENT_BUCKETS = 30;

/** Latency bins: bin 0 holds < 1 ms, bin i >= 1 holds [2^((i-1)/2), 2^(i/2)) ms; the last is open. */
export const LATENCY_BINS = 44;

export function latencyBin(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(LATENCY_BINS - 1, Math.floor(2 * Math.log2(ms)) + 1);
}

/** A representative latency (ms) of a bin: its geometric middle. */
export function binMs(bin: number): number {
  return bin === 0 ? 0.5 : 2 ** ((bin - 0.5) / 2);
}

/** The bin holding quantile q of a histogram, or undefined when it is empty. */
export function quantileBin(hist: ArrayLike<number>, q: number): number | undefined {
  let total = 0;
  for (let i = 0; i < hist.length; i++) total += hist[i] ?? 0;
  if (total <= 0) return undefined;
  let acc = 0;
  for (let i = 0; i < hist.length; i++) {
    acc += hist[i] ?? 0;
    if (acc >= q * total) return i;
  }
  return hist.length - 1;
}

export interface BaselineOptions {
  bucketMs: number;
  halfLifeMs: number;
  /** Pseudo-buckets of the next level's expectation each level starts with (its credibility weight). */
  priorWeight: number;
  /** Quantile of learned latency beyond which a request counts as slow. */
  slowQuantile: number;
}

/** One bucket of one endpoint, as the detector hands it to the baseline to learn. */
export interface BucketSample {
  bucket: number;
  requests: number;
  errors5xx: number;
  /** Local latency histogram of the bucket's requests (a sample of them in distributed mode). */
  latency: ArrayLike<number>;
  /** The clients behind the bucket's requests, when known (a sample of them in distributed mode). */
  clients?: { count: number; requests: number; largest: number } | undefined;
}

/** What the baseline expects of one endpoint in one bucket. */
export interface Expectation {
  /** Requests expected in the bucket. */
  requests: number;
  /** Variance of the bucket's request count relative to a Poisson count of the same mean (>= 1). */
  dispersion: number;
  /** Share of requests answered 5xx. */
  errorShare: number;
  /** Latency bins above this one count as slow; undefined while too few latencies were learned. */
  slowBin: number | undefined;
  /** Share of requests expected above slowBin. */
  slowShare: number;
  /** Learned 90th percentile latency (ms), when known. */
  p90Ms: number | undefined;
  /** Correlation of consecutive buckets' deviations (0..0.95). */
  correlation: number;
  /** Buckets and requests learned for the endpoint (decayed). */
  learnedBuckets: number;
  learnedRequests: number;
  learnedLatencies: number;
  /** Requests a client makes in a bucket on average, once enough clients were learned. */
  requestsPerClient: number | undefined;
  /** The most requests one client made in a bucket (decayed, rounded up). */
  largestClient: number;
}

class EndpointBaseline {
  /** Per hour of day: decayed [buckets, requests, sum of squared requests]. */
  readonly hours = Array.from({ length: 24 }, () => [0, 0, 0] as [number, number, number]);
  /** Per hour of week, once seen: decayed [buckets, requests]. */
  readonly week = new Map<number, [number, number]>();
  /** Decayed [requests, 5xx answers]. */
  errors: [number, number] = [0, 0];
  readonly latency = new Float64Array(LATENCY_BINS);
  /** Decayed [sum of residual x previous residual, sum of squared residuals] over consecutive learned buckets. */
  lag: [number, number] = [0, 0];
  /** Residual of the last bucket learned, and which bucket it was. */
  previous: { bucket: number; residual: number } | undefined;
  /** Decayed [client-buckets, their requests, most requests of one client in a bucket]. */
  clients: [number, number, number] = [0, 0, 0];

  /**
   * How much a bucket's deviation carries into the next (a user's session spans buckets): sums
   * over longer windows swing more than independent buckets would, by 1 + (m - 1) x this.
   */
  correlation(): number {
    return Math.min(0.95, Math.max(0, this.lag[0]) / (this.lag[1] + 1));
  }

  level(): number {
    let w = 0;
    let s = 0;
    for (const h of this.hours) {
      w += h[0];
      s += h[1];
    }
    return w > 0 ? s / w : 0;
  }

  buckets(): number {
    return this.hours.reduce((n, h) => n + h[0], 0);
  }

  /**
   * Overdispersion of the count within an hour-of-day slot, pooled over slots (a quasi-Poisson
   * factor): bursty endpoints (a merchant working through orders) swing far more than Poisson.
   * Five pseudo-observations of 1 keep it near Poisson until the data says otherwise.
   */
  dispersion(): number {
    let num = 5;
    let den = 5;
    for (const [w, s, q] of this.hours) {
      if (w <= 1 || s <= 0) continue;
      num += Math.max(0, q - (s * s) / w);
      den += ((w - 1) * s) / w;
    }
    return Math.max(1, num / den);
  }
}

export const seasonalBaselineModelSchema = z
  .object({
    format: z.enum([VOLUME_BASELINE_FORMAT, VOLUME_BASELINE_FORMAT_1]),
    bucketMs: z.number().int().positive(),
    /** Whole API, per hour of day: [buckets, requests]. */
    api: z.object({ hours: z.array(z.tuple([z.number().min(0), z.number().min(0)])).length(24), errors: z.tuple([z.number().min(0), z.number().min(0)]) }).strict(),
    endpoints: z.array(
      z
        .object({
          endpoint: z.string().min(1),
          hours: z.array(z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)])).length(24),
          week: z.array(z.tuple([z.number().int().min(0).max(HOURS_PER_WEEK - 1), z.number().min(0), z.number().min(0)])),
          errors: z.tuple([z.number().min(0), z.number().min(0)]),
          lag: z.tuple([z.number(), z.number().min(0)]),
          latency: z.array(z.number().min(0)).length(LATENCY_BINS),
          clients: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)]).optional(),
        })
        .strict(),
    ),
  })
  .strict();

export type SeasonalBaselineModel = z.output<typeof seasonalBaselineModelSchema>;

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

export class SeasonalBaseline {
  private readonly endpoints = new Map<string, EndpointBaseline>();
  /** Whole API, per hour of day: [buckets, requests]. */
  private readonly apiHours = Array.from({ length: 24 }, () => [0, 0] as [number, number]);
  private apiErrors: [number, number] = [0, 0];
  /** Decayed [client-buckets, their requests] summed over every endpoint; undefined once either changes. */
  private apiClients: [number, number] | undefined;
  private readonly decay: number;

  constructor(private readonly options: BaselineOptions) {
    this.decay = 0.5 ** (options.bucketMs / options.halfLifeMs);
  }

  get size(): number {
    return this.endpoints.size;
  }

  has(endpoint: string): boolean {
    return this.endpoints.has(endpoint);
  }

  /** Endpoints known, sorted (so every run walks them in the same order). */
  names(): string[] {
    return [...this.endpoints.keys()].sort();
  }

  /**
   * Starts tracking an endpoint. `quietSoFar`: every bucket the whole API learned so far counts
   * as one without this endpoint's traffic (true while learning a capture that shows the whole
   * API; a new endpoint later on starts with nothing learned instead).
   */
  add(endpoint: string, quietSoFar: boolean): void {
    if (this.endpoints.has(endpoint)) return;
    const ep = new EndpointBaseline();
    if (quietSoFar) this.apiHours.forEach(([w], h) => (ep.hours[h]![0] = w));
    this.endpoints.set(endpoint, ep);
  }

  private slots(bucket: number): { hour: number; hourOfWeek: number } {
    const d = new Date(bucket * this.options.bucketMs);
    const hour = d.getUTCHours();
    return { hour, hourOfWeek: d.getUTCDay() * 24 + hour };
  }

  /** Relative traffic of the whole API at this hour of day (1 = its mean), shrunk towards 1 while little is known. */
  apiShape(hour: number): number {
    let w = 0;
    let s = 0;
    for (const h of this.apiHours) {
      w += h[0];
      s += h[1];
    }
    const mean = w > 0 ? s / w : 0;
    if (mean <= 0) return 1;
    const [hw, hs] = this.apiHours[hour]!;
    const k = this.options.priorWeight;
    return (hs + k * mean) / (hw + k) / mean;
  }

  expect(endpoint: string, bucket: number): Expectation | undefined {
    const ep = this.endpoints.get(endpoint);
    if (ep === undefined) return undefined;
    const { hour, hourOfWeek } = this.slots(bucket);
    const k = this.options.priorWeight;
    const overall = ep.level() * this.apiShape(hour);
    const [dw, ds] = ep.hours[hour]!;
    const byHour = (ds + k * overall) / (dw + k);
    const [ww, ws] = ep.week.get(hourOfWeek) ?? [0, 0];
    const requests = (ws + k * byHour) / (ww + k);
    // 5xx share: the endpoint's own, leaning on the whole API's while it has answered little.
    const apiShare = (this.apiErrors[1] + 1) / (this.apiErrors[0] + 2);
    const errorShare = (ep.errors[1] + 50 * apiShare) / (ep.errors[0] + 50);
    const learnedLatencies = ep.latency.reduce((a, b) => a + b, 0);
    const qBin = quantileBin(ep.latency, this.options.slowQuantile);
    let slowShare = 1;
    if (qBin !== undefined) {
      let above = 0;
      for (let i = qBin + 1; i < LATENCY_BINS; i++) above += ep.latency[i]!;
      slowShare = Math.max(0.002, (above + 0.5) / (learnedLatencies + 1));
    }
    const p90 = quantileBin(ep.latency, 0.9);
    return {
      requests,
      dispersion: ep.dispersion(),
      correlation: ep.correlation(),
      errorShare,
      slowBin: qBin,
      slowShare,
      p90Ms: p90 === undefined ? undefined : binMs(p90),
      learnedBuckets: ep.buckets(),
      learnedRequests: ep.errors[0],
      learnedLatencies,
      requestsPerClient: this.requestsPerClient(ep),
      // A count of requests: a largest of 8 that has faded a little is still 8.
      largestClient: Math.ceil(ep.clients[2]),
    };
  }

  /**
   * Requests a client makes in one of the endpoint's buckets: its own clients' average, leaning on
   * the whole API's while it has learned few (a quiet endpoint a few users work through).
   */
  private requestsPerClient(ep: EndpointBaseline): number | undefined {
    if (this.apiClients === undefined) {
      this.apiClients = [0, 0];
      for (const e of this.endpoints.values()) this.apiClients = [this.apiClients[0] + e.clients[0], this.apiClients[1] + e.clients[1]];
    }
    const [buckets, requests] = this.apiClients;
    if (buckets < MIN_CLIENT_BUCKETS) return undefined;
    return (ep.clients[1] + (MIN_CLIENT_BUCKETS * requests) / buckets) / (ep.clients[0] + MIN_CLIENT_BUCKETS);
  }

  /** One endpoint's bucket, judged normal (or learned during the learning period). */
  learn(endpoint: string, s: BucketSample): void {
    const ep = this.endpoints.get(endpoint);
    if (ep === undefined) return;
    const { hour, hourOfWeek } = this.slots(s.bucket);
    const h = ep.hours[hour]!;
    h[0] += 1;
    h[1] += s.requests;
    h[2] += s.requests * s.requests;
    const residual = s.requests - h[1] / h[0];
    if (ep.previous?.bucket === s.bucket - 1) ep.lag = [ep.lag[0] + residual * ep.previous.residual, ep.lag[1] + residual * residual];
    ep.previous = { bucket: s.bucket, residual };
    const w = ep.week.get(hourOfWeek) ?? [0, 0];
    ep.week.set(hourOfWeek, [w[0] + 1, w[1] + s.requests]);
    ep.errors = [ep.errors[0] + s.requests, ep.errors[1] + s.errors5xx];
    for (let i = 0; i < LATENCY_BINS; i++) ep.latency[i]! += s.latency[i] ?? 0;
    const c = s.clients;
    if (c !== undefined && Number.isFinite(c.largest)) {
      ep.clients = [ep.clients[0] + c.count, ep.clients[1] + c.requests, Math.max(ep.clients[2], c.largest)];
      this.apiClients = undefined;
    }
  }

  /** The whole API's traffic in a bucket (requests of anomalous endpoint buckets replaced by their expectation). */
  learnApi(bucket: number, requests: number, errors5xx: number): void {
    const a = this.apiHours[this.slots(bucket).hour]!;
    a[0] += 1;
    a[1] += requests;
    this.apiErrors = [this.apiErrors[0] + requests, this.apiErrors[1] + errors5xx];
  }

  /** One bucket of event time went by: everything learned weighs a little less. */
  age(): void {
    const d = this.decay;
    for (const a of this.apiHours) {
      a[0] *= d;
      a[1] *= d;
    }
    this.apiErrors = [this.apiErrors[0] * d, this.apiErrors[1] * d];
    this.apiClients = undefined;
    for (const ep of this.endpoints.values()) {
      for (const h of ep.hours) {
        h[0] *= d;
        h[1] *= d;
        h[2] *= d;
      }
      for (const w of ep.week.values()) {
        w[0] *= d;
        w[1] *= d;
      }
      ep.errors = [ep.errors[0] * d, ep.errors[1] * d];
      ep.lag = [ep.lag[0] * d, ep.lag[1] * d];
      ep.clients = [ep.clients[0] * d, ep.clients[1] * d, ep.clients[2] * d];
      for (let i = 0; i < LATENCY_BINS; i++) ep.latency[i]! *= d;
    }
  }

  export(): SeasonalBaselineModel {
    return {
      format: VOLUME_BASELINE_FORMAT,
      bucketMs: this.options.bucketMs,
      api: { hours: this.apiHours.map(([w, s]) => [round(w), round(s)] as [number, number]), errors: [round(this.apiErrors[0]), round(this.apiErrors[1])] },
      endpoints: this.names().map((name) => {
        const ep = this.endpoints.get(name)!;
        return {
          endpoint: name,
          hours: ep.hours.map(([w, s, q]) => [round(w), round(s), round(q)] as [number, number, number]),
          week: [...ep.week.entries()].sort((a, b) => a[0] - b[0]).map(([slot, [w, s]]) => [slot, round(w), round(s)] as [number, number, number]),
          errors: [round(ep.errors[0]), round(ep.errors[1])],
          lag: [round(ep.lag[0]), round(ep.lag[1])],
          latency: [...ep.latency].map(round),
          clients: [round(ep.clients[0]), round(ep.clients[1]), round(ep.clients[2])],
        };
      }),
    };
  }

  /** A baseline from an exported model; a model that does not fit the options is one sentence. */
  static import(doc: unknown, options: BaselineOptions): SeasonalBaseline {
    const parsed = seasonalBaselineModelSchema.safeParse(doc);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`volume_anomaly model: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}.`);
    }
    const m = parsed.data;
    if (m.bucketMs !== options.bucketMs) {
      throw new Error(`volume_anomaly model: learned with bucketMs ${m.bucketMs}, but the config sets detectors.volume_anomaly.bucketMs to ${options.bucketMs}; retrain or set it back.`);
    }
    const b = new SeasonalBaseline(options);
    m.api.hours.forEach(([w, s], i) => (b.apiHours[i] = [w, s]));
    b.apiErrors = [m.api.errors[0], m.api.errors[1]];
    for (const e of m.endpoints) {
      const ep = new EndpointBaseline();
      e.hours.forEach(([w, s, q], i) => (ep.hours[i] = [w, s, q]));
      for (const [slot, w, s] of e.week) ep.week.set(slot, [w, s]);
      ep.errors = [e.errors[0], e.errors[1]];
      ep.lag = [e.lag[0], e.lag[1]];
      ep.latency.set(e.latency);
      if (e.clients !== undefined) ep.clients = [e.clients[0], e.clients[1], e.clients[2]];
      b.endpoints.set(e.endpoint, ep);
    }
    return b;
  }

  summary(): string {
    const shape = Array.from({ length: 24 }, (_, h) => this.apiShape(h));
    const busiest = shape.indexOf(Math.max(...shape));
    const quietest = shape.indexOf(Math.min(...shape));
    const perHour = HOUR / this.options.bucketMs;
    const lines = [
      `${this.endpoints.size} endpoints; whole API busiest at ${busiest}:00 UTC (${shape[busiest]!.toFixed(2)}x its mean), quietest at ${quietest}:00 (${shape[quietest]!.toFixed(2)}x)`,
    ];
    const ranked = this.names()
      .map((name) => ({ name, ep: this.endpoints.get(name)! }))
      .sort((a, b) => b.ep.level() - a.ep.level() || a.name.localeCompare(b.name))
      .slice(0, 5);
    for (const { name, ep } of ranked) {
      const p90 = quantileBin(ep.latency, 0.9);
      const errs = ep.errors[0] > 0 ? (100 * ep.errors[1]) / ep.errors[0] : 0;
      lines.push(
        `${name}: ${(ep.level() * perHour).toFixed(1)} requests/h, ${errs.toFixed(2)}% 5xx, p90 ${p90 === undefined ? '-' : formatMs(binMs(p90))}, dispersion ${ep.dispersion().toFixed(1)} (bucket-to-bucket correlation ${ep.correlation().toFixed(2)}), ${ep.week.size}/168 week slots`,
      );
    }
    return lines.join('\n');
  }
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
