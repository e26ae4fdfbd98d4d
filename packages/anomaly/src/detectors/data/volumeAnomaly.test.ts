import { MemoryStateStore } from '@sidetap/bus';
import { Counters } from '@sidetap/core';
import type { Event, Finding } from '@sidetap/core';
import { pino } from 'pino';
import { anomalyConfigSchema } from '../../anomalyConfig';
import { createAnomalyEngine } from '../../anomalyEngine';
import { ANOMALY_MODELS_FORMAT } from '../../models/anomalyModels';
import { detectAll } from '../../testEngine';
import { event } from '../../testEvents';
import { createVolumeAnomaly, volumeAnomalyConfigSchema } from './volumeAnomaly';
import type { SeasonalBaselineModel } from './seasonalBaseline';

const T0 = Date.UTC(2024, 4, 1, 0, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BUCKET = 10 * MINUTE;
const LEARN = { learnMs: 24 * HOUR };

interface Spec {
  path: string;
  endpoint: string;
  status?: number;
  ms?: number;
}

function call(id: string, at: number, s: Spec): Event {
  const e = event({ id, at, path: s.path, endpoint: s.endpoint, status: s.status ?? 200, ip: `198.51.100.${(at / 1000) % 200 | 0}` });
  e.event.duration = Math.round((s.ms ?? 80) * 1e6);
  return e;
}

const PRODUCTS: Spec = { path: '/api/v1/products', endpoint: '/api/v1/products' };
const SEARCH: Spec = { path: '/api/v1/search', endpoint: '/api/v1/search' };

/** A seeded, diurnal API: busy afternoons, quiet nights, the same every day but for noise. */
function normalTraffic(hours: number, seed = 7): Event[] {
  let x = seed;
  const rand = (): number => ((x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const out: Event[] = [];
  for (let b = 0; b < (hours * HOUR) / BUCKET; b++) {
    const hour = ((b * BUCKET) / HOUR) % 24;
    const shape = 1 + 0.8 * Math.sin(((hour - 8) / 24) * 2 * Math.PI);
    for (const [spec, base] of [
      [PRODUCTS, 20],
      [SEARCH, 8],
    ] as const) {
      const n = Math.round(base * shape * (0.8 + 0.4 * rand()));
      for (let i = 0; i < n; i++) {
        const at = T0 + b * BUCKET + Math.floor(((i + rand()) / n) * BUCKET);
        out.push(call(`${spec.endpoint.slice(8)}-${b}-${i}`, at, { ...spec, ms: 40 + 160 * rand() }));
      }
    }
  }
  return out;
}

const byTime = (events: Event[]): Event[] => [...events].sort((a, b) => a['@timestamp'].localeCompare(b['@timestamp']) || a.event.id.localeCompare(b.event.id));
const volume = (f: Finding[]): Finding[] => f.filter((x) => x.rule.category === 'volume_anomaly');
const DAY2_14 = T0 + 38 * HOUR;

function extra(prefix: string, from: number, count: number, spanMs: number, spec: (i: number) => Spec): Event[] {
  return Array.from({ length: count }, (_, i) => call(`${prefix}${i}`, from + Math.floor((i / count) * spanMs), spec(i)));
}

describe('volume_anomaly', () => {
  const normal = normalTraffic(48);

  it('stays silent when the learned daily rhythm repeats on the second day', async () => {
    expect(volume(await detectAll(normal, LEARN))).toEqual([]);
  });

  it('reports a surge on the endpoint and bucket it happened in', async () => {
    const surge = extra('surge', DAY2_14 + 30_000, 300, 9 * MINUTE, () => PRODUCTS);
    const f = volume(await detectAll(byTime([...normal, ...surge]), LEARN));
    expect(f.map((x) => x.rule.id)).toEqual(['volume_anomaly.surge']);
    expect(f[0]!.sidetap.endpoint).toBe('/api/v1/products');
    expect(f[0]!.sidetap.owasp_api).toBe('API4:2023');
    expect(f[0]!.user).toBeUndefined();
    const w = f[0]!.sidetap.evidence.window;
    expect(Date.parse(w.start)).toBeGreaterThanOrEqual(DAY2_14);
    expect(Date.parse(w.end)).toBeLessThan(DAY2_14 + BUCKET);
    expect(f[0]!.sidetap.evidence.exchange_ids.length).toBeGreaterThan(0);
    expect(String(f[0]!.sidetap.evidence.observed)).toMatch(/^\d+ requests, .* in 10 min$/);
  });

  it('names the user and address behind most of a surge', async () => {
    const surge = extra('one', DAY2_14 + 30_000, 300, 9 * MINUTE, () => PRODUCTS).map((e, i) => {
      if (i % 5 === 0) return e;
      const one = event({ id: e.event.id, at: Date.parse(e['@timestamp']), path: PRODUCTS.path, endpoint: PRODUCTS.endpoint, ip: '203.0.113.77', actor: 'jwt:mallory', user: 'mallory' });
      one.event.duration = 80e6;
      return one;
    });
    const f = volume(await detectAll(byTime([...normal, ...surge]), LEARN));
    expect(f.map((x) => x.rule.id)).toEqual(['volume_anomaly.surge']);
    expect(f[0]!.user).toEqual({ name: 'mallory' });
    expect(f[0]!.source?.ip).toBe('203.0.113.77');
    expect(f[0]!.message).toMatch(/; \d+% from user:mallory, \d+% from 203\.0\.113\.77\.$/);
  });

  it('reports an error spike on a quiet endpoint, and says what is usual', async () => {
    const failing = normal.map((e) => {
      const t = Date.parse(e['@timestamp']);
      if (e.sidetap.endpoint !== '/api/v1/search' || t < DAY2_14 || t >= DAY2_14 + HOUR || Number(e.event.id.split('-').pop()) % 2 === 1) return e;
      return call(e.event.id, t, { ...SEARCH, status: 503 });
    });
    const f = volume(await detectAll(failing, LEARN));
    expect(f.map((x) => x.rule.id)).toEqual(['volume_anomaly.error_spike']);
    expect(f[0]!.sidetap.endpoint).toBe('/api/v1/search');
    expect(Date.parse(f[0]!.sidetap.evidence.window.start)).toBeGreaterThanOrEqual(DAY2_14);
    expect(f[0]!.sidetap.owasp_api).toBeUndefined();
    expect(f[0]!.sidetap.evidence.expected).toContain('5xx');
  });

  it('reports a latency spike', async () => {
    const slow = normal.map((e) => {
      const t = Date.parse(e['@timestamp']);
      return e.sidetap.endpoint === '/api/v1/search' && t >= DAY2_14 && t < DAY2_14 + HOUR ? call(e.event.id, t, { ...SEARCH, ms: 3000 }) : e;
    });
    const f = volume(await detectAll(slow, LEARN));
    expect(f.map((x) => x.rule.id)).toEqual(['volume_anomaly.latency_spike']);
    expect(f[0]!.sidetap.endpoint).toBe('/api/v1/search');
    expect(f[0]!.sidetap.evidence.observed).toMatch(/p90 \d\.\d s/);
  });

  it('reports an endpoint losing its traffic while the rest of the API carries on', async () => {
    const silent = normal.filter((e) => {
      const t = Date.parse(e['@timestamp']);
      return e.sidetap.endpoint !== '/api/v1/search' || t < DAY2_14 || t >= DAY2_14 + 2 * HOUR;
    });
    const f = volume(await detectAll(silent, LEARN));
    expect(f.map((x) => [x.rule.id, x.sidetap.endpoint])).toEqual([['volume_anomaly.drop', '/api/v1/search']]);
  });

  it('does not call an endpoint at its usual level a drop because a flood elsewhere swells the API', async () => {
    // A service syncing twice every ten minutes, day and night, then 1,500 extra product requests
    // in an hour: its share of the API predicts some 70 syncs, but it makes the 12 it always does.
    const SYNC: Spec = { path: '/internal/v1/sync', endpoint: '/internal/v1/sync' };
    const sync = Array.from({ length: 48 * 12 }, (_, i) => call(`sync-${i}`, T0 + i * 5 * MINUTE + 1000, SYNC));
    const flood = extra('flood', DAY2_14 + 30_000, 1500, 59 * MINUTE, () => PRODUCTS);
    // Held to its baseline alone (no routine variation beyond counting noise), the share would call it a drop.
    const config = { ...LEARN, detectors: { volume_anomaly: { levelVariation: 0 } } };
    const f = volume(await detectAll(byTime([...normal, ...sync, ...flood]), config));
    expect(f.map((x) => [x.rule.id, x.sidetap.endpoint])).toEqual([['volume_anomaly.surge', '/api/v1/products']]);
  });

  it('leaves a spike in one bucket to that bucket: the hour reports only what builds up over it', async () => {
    // A coupon endpoint called once every ten minutes, day and night.
    const COUPON: Spec = { path: '/api/v1/cart/coupon', endpoint: '/api/v1/cart/coupon' };
    const steady = Array.from({ length: 48 * 6 }, (_, i) => call(`c-${i}`, T0 + i * BUCKET + 2000, COUPON));
    const inBucket = (prefix: string, k: number, n: number) => extra(`${prefix}${k}-`, DAY2_14 + k * BUCKET + 60_000, n, 8 * MINUTE, () => COUPON);
    // 19 extra in one bucket (short of minExtraRequests there) and two extra in each other bucket
    // of the hour: 29 more than expected in the hour, 19 of them in one bucket.
    const spike = [19, 2, 2, 2, 2, 2].flatMap((n, k) => inBucket('s', k, n));
    const quiet = volume(await detectAll(byTime([...normal, ...steady, ...spike]), LEARN));
    expect(quiet.filter((x) => x.sidetap.endpoint === COUPON.endpoint)).toEqual([]);
    // Five extra in every bucket of the hour: never much in a bucket, 30 too many in the hour.
    const sustained = [0, 1, 2, 3, 4, 5].flatMap((k) => inBucket('u', k, 5));
    const f = volume(await detectAll(byTime([...normal, ...steady, ...sustained]), LEARN));
    expect(f.map((x) => [x.rule.id, x.sidetap.endpoint])).toEqual([['volume_anomaly.surge', COUPON.endpoint]]);
    expect(f[0]!.sidetap.evidence.observed).toMatch(/ in 1 h$/);
  });

  it('judges a surge of ordinary clients by how many came, one client far beyond them by its requests', async () => {
    // Wish lists: every half hour someone opens one and makes 8 requests within a few minutes.
    const WISH: Spec = { path: '/api/v1/wishlist', endpoint: '/api/v1/wishlist' };
    const visit = (who: string, at: number, n: number) =>
      Array.from({ length: n }, (_, i) => {
        const e = event({ id: `${who}-${at}-${i}`, at: at + i * 10_000, path: WISH.path, endpoint: WISH.endpoint, actor: `jwt:${who}`, user: who });
        e.event.duration = 80e6;
        return e;
      });
    const routine = Array.from({ length: 48 * 2 }, (_, i) => visit(`u${i % 7}`, T0 + i * 30 * MINUTE + 60_000, 8)).flat();
    // Six more people at once, each making what people make: 56 requests where 3 are usual, but
    // seven visitors where one (of eight requests) is: not surprising enough.
    const crowd = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'].flatMap((who, k) => visit(who, DAY2_14 + 2 * MINUTE + k * 10_000, 8));
    const f = volume(await detectAll(byTime([...normal, ...routine, ...crowd]), LEARN));
    expect(f.filter((x) => x.sidetap.endpoint === WISH.endpoint)).toEqual([]);
    // One client making those 48 requests is far beyond any learned client: a surge.
    const one = visit('mallory', DAY2_14 + 2 * MINUTE, 48);
    const g = volume(await detectAll(byTime([...normal, ...routine, ...one]), LEARN));
    expect(g.map((x) => [x.rule.id, x.sidetap.endpoint, x.user?.name])).toEqual([['volume_anomaly.surge', WISH.endpoint, 'mallory']]);
  });

  it("leaves one user's busy hour on a quiet endpoint to that user", async () => {
    // Two merchants look at their orders a few times a day, a handful of requests each time: too
    // few sessions for the endpoint to have learned what a client makes on its own.
    const ORDERS: Spec = { path: '/api/v1/merchant/orders', endpoint: '/api/v1/merchant/orders' };
    const visit = (who: string, from: number, perBucket: number[]) =>
      perBucket.flatMap((n, k) =>
        Array.from({ length: n }, (_, i) => {
          const e = event({ id: `${who}-${from}-${k}-${i}`, at: from + k * BUCKET + 30_000 + i * 60_000, path: ORDERS.path, endpoint: ORDERS.endpoint, actor: `jwt:${who}`, user: who });
          e.event.duration = 60e6;
          return e;
        }),
      );
    const routine = Array.from({ length: 12 }, (_, i) => visit(`m${i % 2}`, T0 + i * 4 * HOUR + 20 * MINUTE, [3, 5])).flat();
    // Day two: one merchant works through orders for an hour, never faster than either ever did.
    const busy = visit('m0', DAY2_14, [5, 4, 5, 3, 5, 4]);
    const f = volume(await detectAll(byTime([...normal, ...routine, ...busy]), LEARN));
    expect(f.filter((x) => x.sidetap.endpoint === ORDERS.endpoint)).toEqual([]);
    // A client a little past the busiest learned one is still one ordinary client...
    const brisk = visit('m0', DAY2_14, [7, 6, 7, 6, 7, 6]);
    const g = volume(await detectAll(byTime([...normal, ...routine, ...brisk]), LEARN));
    expect(g.filter((x) => x.sidetap.endpoint === ORDERS.endpoint)).toEqual([]);
    // ...one far past it (minExtraRequests more than the busiest learned client would make) is a surge.
    const flood = visit('m0', DAY2_14, [9, 9, 9, 9, 9, 9]);
    const h = volume(await detectAll(byTime([...normal, ...routine, ...flood]), LEARN));
    expect(h.map((x) => [x.rule.id, x.sidetap.endpoint, x.user?.name])).toEqual([['volume_anomaly.surge', ORDERS.endpoint, 'm0']]);
  });

  it('gives the same findings on every run', async () => {
    const events = byTime([...normal, ...extra('s', DAY2_14, 300, 9 * MINUTE, () => PRODUCTS)]);
    const a = await detectAll(events, LEARN);
    const b = await detectAll(events, LEARN, new Counters(), 97);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

/** Runs the detector alone, as the engine would, and returns it for its model. */
async function runDetector(events: readonly Event[], model?: unknown) {
  const config = volumeAnomalyConfigSchema.parse({});
  const detector = createVolumeAnomaly(config, { model });
  const state = new MemoryStateStore({ kind: 'memory' });
  const first = Date.parse(events[0]!['@timestamp']);
  const env = { state, counters: new Counters(), learning: (t: number) => model === undefined && t < first + 24 * HOUR };
  const drafts = [];
  for (const e of events) drafts.push(...(await detector.observe(e, Date.parse(e['@timestamp']), env)));
  drafts.push(...(await detector.flush!(Number.MAX_SAFE_INTEGER, env)));
  return { detector, drafts, model: detector.exportModel!() as SeasonalBaselineModel };
}

describe('volume_anomaly baseline', () => {
  const normal = normalTraffic(48);

  it('keeps buckets that raised a finding out of what it keeps learning', async () => {
    const surge = extra('surge', DAY2_14 + 30_000, 600, 50 * MINUTE, () => PRODUCTS);
    const clean = await runDetector(normal);
    const attacked = await runDetector(byTime([...normal, ...surge]));
    expect(attacked.drafts.map((d) => d.rule.id)).toEqual(['volume_anomaly.surge']);
    const slot = (m: SeasonalBaselineModel) => m.endpoints.find((e) => e.endpoint === 'GET /api/v1/products')!.hours[14]!;
    const [cw, cs] = slot(clean.model);
    const [aw, as] = slot(attacked.model);
    // Fewer buckets learned at 14:00, and their mean no higher than without the surge.
    expect(aw).toBeLessThan(cw);
    expect(as / aw).toBeLessThanOrEqual((cs / cw) * 1.05);
  });

  it('round-trips its model and starts learned from it', async () => {
    const trained = await runDetector(normalTraffic(24));
    const reloaded = createVolumeAnomaly(volumeAnomalyConfigSchema.parse({}), { model: JSON.parse(JSON.stringify(trained.model)) });
    expect(reloaded.exportModel!()).toEqual(trained.model);
    expect(reloaded.modelSummary!()).toContain('GET /api/v1/products');

    const day2 = normalTraffic(48).filter((e) => Date.parse(e['@timestamp']) >= T0 + 24 * HOUR);
    const engine = createAnomalyEngine(
      anomalyConfigSchema.parse({ learnMs: 24 * HOUR }),
      { logger: pino({ level: 'silent' }), counters: new Counters(), storeDir: '/nonexistent', state: new MemoryStateStore({ kind: 'memory' }) },
      { format: ANOMALY_MODELS_FORMAT, trainedAt: '2024-05-01T00:00:00Z', trainedOn: ['t'], detectors: { volume_anomaly: trained.model } },
    );
    const surge = extra('surge', DAY2_14 + 30_000, 300, 9 * MINUTE, () => PRODUCTS);
    const out = [...(await engine.process(byTime([...day2, ...surge]))), ...(await engine.flush(Number.MAX_SAFE_INTEGER))];
    expect(volume(out).map((f) => [f.rule.id, f.sidetap.endpoint])).toEqual([['volume_anomaly.surge', '/api/v1/products']]);
  });

  it('still loads a model saved before clients were learned, judging by requests alone', async () => {
    const trained = await runDetector(normalTraffic(24));
    expect(trained.model.format).toBe('sidetap-volume-baseline/2');
    const old = { ...trained.model, format: 'sidetap-volume-baseline/1', endpoints: trained.model.endpoints.map(({ clients: _, ...e }) => e) };
    const reloaded = createVolumeAnomaly(volumeAnomalyConfigSchema.parse({}), { model: old });
    expect((reloaded.exportModel!() as SeasonalBaselineModel).endpoints[0]!.clients).toEqual([0, 0, 0]);
  });

  it('refuses a model learned with another bucket length, naming the option', () => {
    const model = { format: 'sidetap-volume-baseline/1', bucketMs: 5 * MINUTE, api: { hours: Array(24).fill([0, 0]), errors: [0, 0] }, endpoints: [] };
    expect(() => createVolumeAnomaly(volumeAnomalyConfigSchema.parse({}), { model })).toThrow(/detectors\.volume_anomaly\.bucketMs/);
    expect(() => createVolumeAnomaly(volumeAnomalyConfigSchema.parse({}), { model: { format: 'x' } })).toThrow(/volume_anomaly model/);
  });
});
