import { Counters } from '@sidetap/core';
import type { Event, Finding } from '@sidetap/core';
import type { DetectorEnv } from '../../detector';
import type { FindingDraft } from '../../findingDraft';
import { detectAll } from '../../testEngine';
import { behaviorForestConfigSchema, createBehaviorForest } from './behaviorForest';
import type { BehaviorForestDetector } from './behaviorForest';
import { FEATURE_NAMES, SessionFeatures } from './sessionFeatures';
import { HOUR, T0, hostileSession, session, shoppingDay } from './testSessions';

// Learning: 24 h of shopping, 160 sessions 9 minutes apart; then a day of the same and one hostile visit.
const learning = shoppingDay(1, T0, 160, 9 * 60_000, 'u');
const later = shoppingDay(2, T0 + 26 * HOUR, 60, 9 * 60_000, 'v');
const hostile = hostileSession('mallory', T0 + 28 * HOUR + 30_000);
const ONLY = { learnMs: 24 * HOUR, detectors: { parameter_profiles: { enabled: false }, sequence_anomaly: { enabled: false } } };
const byTime = (events: Event[]): Event[] => [...events].sort((a, b) => Date.parse(a['@timestamp']) - Date.parse(b['@timestamp']) || (a.event.id < b.event.id ? -1 : 1));

const mine = (f: Finding[]): Finding[] => f.filter((x) => x.sidetap.detector === 'behavior_forest');

/** The detector on its own, with a learning period of 24 h from T0; `reported`: actors other detectors reported. */
function direct(config: object = {}, model?: unknown, reported = new Set<string>()): { detector: BehaviorForestDetector; env: DetectorEnv; counters: Counters } {
  const counters = new Counters();
  const parsed = behaviorForestConfigSchema.parse(config);
  const detector = createBehaviorForest(parsed, model === undefined ? { counters } : { counters, model });
  const env: DetectorEnv = {
    state: undefined as never,
    counters,
    learning: (t) => model === undefined && t < T0 + 24 * HOUR,
    teach: (f) => void f(),
    windowMayTeach: (actorKey) => actorKey === undefined || !reported.has(actorKey),
  };
  return { detector, env, counters };
}

async function feed(d: BehaviorForestDetector, env: DetectorEnv, events: readonly Event[]): Promise<FindingDraft[]> {
  const out: FindingDraft[] = [];
  for (const e of events) out.push(...(await d.observe(e, Date.parse(e['@timestamp']), env)));
  out.push(...((await d.flush?.(Number.MAX_SAFE_INTEGER, env)) ?? []));
  return out;
}

describe('behavior_forest', () => {
  it('reports a session mixing browsing with rejected injection payloads, naming the features', async () => {
    const findings = mine(await detectAll(byTime([...learning, ...later, ...hostile]), ONLY));
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.rule).toEqual({ id: 'behavior_anomaly.session_outlier', name: 'Session behaviour unlike the learned sessions', category: 'behavior_anomaly' });
    expect(f.user?.name).toBe('mallory');
    expect(f.message).toMatch(/^user:mallory: session of \d+ requests unlike the learned sessions: /);
    expect(f.message).toContain('other 4xx');
    expect(f.message).toContain('quotes, angle brackets');
    expect(f.sidetap.owasp_api).toBe('API8:2023');
    expect(f.sidetap.evidence.exchange_ids.length).toBeGreaterThan(0);
    expect(f.sidetap.evidence.exchange_ids.every((id) => id.startsWith('mallory-'))).toBe(true);
    expect(f.sidetap.evidence.window.start).toBe(new Date(T0 + 28 * HOUR + 30_000).toISOString());
  });

  it("does not count against a session the 5xx of an outage other users walked into too", async () => {
    // After learning (no 5xx at all), search fails for bob: half his requests are answered 503.
    const at = T0 + 28 * HOUR;
    const visit = (name: string, from: number, n: number) =>
      session(
        name,
        from,
        Array.from({ length: n }, (_, k) =>
          k % 2 === 0 ? { path: '/api/v1/products', endpoint: '/api/v1/products', query: 'category=books&page=1', responseBytes: 1800 } : { path: '/api/v1/search', endpoint: '/api/v1/search', query: 'q=lamp&page=1', status: 503, responseBytes: 50 },
        ),
        20_000,
      );
    const bob = visit('bob', at, 16);
    const alone = mine(await detectAll(byTime([...learning, ...bob]), ONLY));
    expect(alone.map((f) => f.user?.name)).toEqual(['bob']);
    expect(alone[0]!.message).toContain('5xx');
    // The same minutes, while search fails for others as well: the server's outage, not bob's doing.
    const others = ['ann', 'cy', 'dee'].flatMap((name, i) => visit(name, at + 60_000 * (i + 1), 2));
    expect(mine(await detectAll(byTime([...learning, ...bob, ...others]), ONLY))).toEqual([]);
    // With sharedServerErrorTimelines 0 every 5xx counts, as before.
    const every = { ...ONLY, detectors: { ...ONLY.detectors, behavior_forest: { sharedServerErrorTimelines: 0 } } };
    expect(mine(await detectAll(byTime([...learning, ...bob, ...others]), every)).map((f) => f.user?.name)).toEqual(['bob']);
    // Remembering one endpoint's 5xx, a later failure elsewhere forgets the search outage (counted), and bob's 5xx are his own again.
    const elsewhere = session('eve', at + 5 * 60_000, [{ path: '/api/v1/cart', endpoint: '/api/v1/cart', status: 503 }]);
    const events = byTime([...learning, ...bob, ...others, ...elsewhere]);
    const remembered = direct();
    expect(await feed(remembered.detector, remembered.env, events)).toEqual([]);
    const forgetful = direct({ sharedServerErrorEndpoints: 1 });
    expect((await feed(forgetful.detector, forgetful.env, events)).map((d) => d.actorKey)).toEqual(['jwt:bob']);
    expect(forgetful.counters.get('anomaly_behavior_forest_outage_endpoints_forgotten_total')).toBe(1);
  });

  it('reports mid-way, once per session', async () => {
    const findings = mine(await detectAll(byTime([...learning, ...hostile]), ONLY));
    expect(findings).toHaveLength(1);
    // Scored at midScoreRequests (16): the window ends at the 16th request, not the 30th.
    expect(findings[0]!.sidetap.evidence.window.end).toBe(new Date(T0 + 28 * HOUR + 30_000 + 15 * 10_000).toISOString());
  });

  it('stays silent on ordinary sessions like the learned ones', async () => {
    expect(mine(await detectAll(byTime([...learning, ...later]), ONLY))).toEqual([]);
  });

  it('stays silent on a rare but learned kind of session (a service account writing orders)', async () => {
    const write = (k: number) => ({ method: 'POST', path: '/internal/orders', endpoint: '/internal/orders', body: `{"orderId":${400_000 + k},"state":"shipped","carrier":"ups"}`, responseBytes: 90 });
    const service = (name: string, at: number) => session(name, at, Array.from({ length: 10 }, (_, k) => write(k)), 5_000);
    // One learned session only: too rare to move the learned p99 of any feature.
    const learned = service('svc-orders', T0 + 3 * HOUR);
    const events = byTime([...learning, ...learned, ...service('svc-orders', T0 + 27 * HOUR)]);
    const counters = new Counters();
    expect(mine(await detectAll(events, ONLY, counters))).toEqual([]);
    // The forest and the learned ranges did find it unusual; the learned neighbours knew it.
    expect(counters.get('anomaly_behavior_forest_known_like_total')).toBeGreaterThan(0);
  });

  it('gives the same findings on every run (seeded sample and forest)', async () => {
    const events = byTime([...learning, ...later, ...hostile]);
    const a = await detectAll(events, ONLY);
    const b = await detectAll(events, ONLY);
    expect(b).toEqual(a);
    const x = direct();
    const y = direct();
    await feed(x.detector, x.env, learning);
    await feed(y.detector, y.env, learning);
    expect(JSON.stringify(y.detector.exportModel?.())).toBe(JSON.stringify(x.detector.exportModel?.()));
  });

  it('exports a model that imports to the same scores and starts learned', async () => {
    const { detector, env } = direct();
    await feed(detector, env, learning);
    const doc = JSON.parse(JSON.stringify(detector.exportModel?.())) as unknown;
    const imported = direct({}, doc);
    const a = detector.model!;
    const b = imported.detector.model!;
    for (const e of [later, hostile]) {
      const s = new SessionFeatures(0);
      for (const ev of e) s.add(ev, 0);
      expect(b.score(s.row())).toBe(a.score(s.row()));
    }
    expect(b.threshold).toBe(a.threshold);
    const fromImported = await feed(imported.detector, imported.env, hostile);
    expect(fromImported).toHaveLength(1);
    expect(fromImported[0]!.message).toBe((await feed(detector, env, hostile))[0]!.message);
    expect(imported.detector.modelSummary?.()).toMatch(/^trained on 160 sessions; threshold 0\.\d{3}/);
    expect(imported.detector.modelSummary?.()).toContain('payload_marker_share');
  });

  it('refuses a model document it cannot read, in one sentence', async () => {
    const { detector, env } = direct();
    await feed(detector, env, learning);
    const doc = detector.exportModel?.() as Record<string, unknown>;
    expect(() => direct({}, { ...doc, features: ['a', 'b'] })).toThrow(/^behavior_forest model: features are \[a, b\]/);
    expect(() => direct({}, { ...doc, threshold: 2 })).toThrow(/^behavior_forest model: threshold: /);
    expect(() => direct({}, { ...doc, forest: { format: 'x' } })).toThrow(/isolation forest document has format "x"/);
  });

  it('stays untrained (counted) with too few learned sessions', async () => {
    const { detector, env, counters } = direct();
    const drafts = await feed(detector, env, [...learning.slice(0, 100), ...hostile]);
    expect(drafts).toEqual([]);
    expect(counters.get('anomaly_behavior_forest_untrained_total')).toBe(1);
    expect(detector.modelSummary?.()).toMatch(/^not trained/);
  });

  it('bounds its open sessions, dropping the least recently active (counted)', async () => {
    const { detector, env, counters } = direct({ maxSessions: 2 });
    const at = T0 + HOUR;
    const three = ['a', 'b', 'c'].map((n, i) => session(n, at + i, [{ path: '/x', endpoint: '/x' }])).flat();
    await detector.observe(three[0]!, at, env);
    await detector.observe(three[1]!, at + 1, env);
    await detector.observe(three[0]!, at + 2, env); // a is now more recent than b
    await detector.observe(three[2]!, at + 3, env); // b is dropped
    expect(counters.get('anomaly_behavior_forest_sessions_evicted_total')).toBe(1);
  });

  it('leaves login attempts to the login detectors', async () => {
    const { detector, env, counters } = direct({ maxSessions: 1 });
    const attempts = ['a', 'b', 'c'].map((n, i) => session(n, T0 + HOUR + i, [{ method: 'POST', path: '/login', endpoint: '/login', status: 401 }])).flat();
    for (const e of attempts) e.sidetap.login = { outcome: 'failure' };
    expect(await feed(detector, env, attempts)).toEqual([]);
    // Never tallied, so never holding a place in the session table either.
    expect(counters.get('anomaly_behavior_forest_sessions_evicted_total')).toBe(0);
  });
});

describe('SessionFeatures', () => {
  it('counts outcomes, sizes, parameters and payload markers', () => {
    const s = new SessionFeatures(T0);
    const events = session('x', T0, [
      { path: '/api/v1/products', endpoint: '/api/v1/products', query: 'category=books&page=1', responseBytes: 1000 },
      { path: '/api/v1/search', endpoint: '/api/v1/search', query: `q=${encodeURIComponent("' OR 1=1--")}`, status: 400, responseBytes: 0 },
      { method: 'POST', path: '/api/v1/cart/items', endpoint: '/api/v1/cart/items', body: '{"productId":{"$gt":""},"quantity":-5}', status: 403 },
      { path: '/api/v1/nope', endpoint: '/api/v1/nope', status: 404, responseBytes: 0 },
    ]);
    for (const e of events) s.add(e, Date.parse(e['@timestamp']));
    const row = Array.from(s.row());
    expect(row.slice(0, 5)).toEqual([0.25, 0.25, 0.25, 0, 0.25]);
    expect(row[9]).toBeCloseTo(Math.log1p(3)); // category, page, q
    expect(row[10]).toBe(0.5); // the quote in the query, the $ operator in the body
    expect(row[11]).toBe(0.25); // quantity -5
    expect(s.evidence().map((m) => m.slice(0, m.indexOf('\t')))).toEqual(['x-1', 'x-2', 'x-3', 'x-0']);
  });
});

describe('behavior_forest after learning', () => {
  /** A day of shopping `day` days after T0 whose answers are `factor` times the learned size. */
  const grownDay = (day: number, factor: number, sessions = 160): Event[] => {
    const events = shoppingDay(100 + day, T0 + day * 24 * HOUR, sessions, 9 * 60_000, `d${day}-`);
    for (const e of events) e.http.response!.body.bytes = Math.round(e.http.response!.body.bytes * factor);
    return events;
  };
  const ours = (drafts: FindingDraft[], from: number): FindingDraft[] => drafts.filter((d) => d.window.start >= from);
  const SMALL = { reservoirSize: 400, referenceSessions: 400 };
  /** Feeds events as the runner does, moving the watermark every five minutes of event time so idle sessions end. */
  const feed = async (d: BehaviorForestDetector, env: DetectorEnv, events: readonly Event[]): Promise<FindingDraft[]> => {
    const out: FindingDraft[] = [];
    let mark = 0;
    for (const e of events) {
      const t = Date.parse(e['@timestamp']);
      if (t >= mark + 5 * 60_000) {
        mark = t - (t % (5 * 60_000));
        out.push(...((await d.flush?.(mark, env)) ?? []));
      }
      out.push(...(await d.observe(e, t, env)));
    }
    out.push(...((await d.flush?.(Number.MAX_SAFE_INTEGER, env)) ?? []));
    return out;
  };

  it('follows sessions that change slowly, retraining from the ones it did not report', async () => {
    // Answers grow 68% a day for eight days, to 64 times the learned size.
    const { detector, env, counters } = direct(SMALL);
    const days = Array.from({ length: 8 }, (_, k) => grownDay(k + 1, 2 ** ((6 * (k + 1)) / 8)));
    const drafts = await feed(detector, env, [...learning, ...days.flat()]);
    expect(counters.get('anomaly_behavior_forest_retrained_total')).toBeGreaterThanOrEqual(6);
    expect(ours(drafts, T0 + 8 * 24 * HOUR)).toEqual([]);
    // The eighth day's sessions right after learning are far outside what was learned.
    const fresh = direct(SMALL);
    const early = grownDay(1, 64, 40);
    expect((await feed(fresh.detector, fresh.env, [...learning, ...early])).length).toBeGreaterThan(20);
  });

  it('learns no session whose actor another detector reported, so it does not follow them', async () => {
    // The same slow growth as above, but another detector reported every one of these actors.
    const reported = new Set<string>();
    const { detector, env, counters } = direct(SMALL, undefined, reported);
    const days = Array.from({ length: 8 }, (_, k) => grownDay(k + 1, 2 ** ((6 * (k + 1)) / 8)));
    for (const e of days.flat()) reported.add(e.sidetap.actor_key);
    const drafts = await feed(detector, env, [...learning, ...days.flat()]);
    expect(counters.get('anomaly_learning_held_total')).toBeGreaterThan(100);
    expect(ours(drafts, T0 + 8 * 24 * HOUR).length).toBeGreaterThan(20);
  });

  it('never learns a session it reported', async () => {
    const { detector, env } = direct(SMALL);
    const days = [1, 2, 3, 4, 5].map((d) => [...grownDay(d, 1), ...hostileSession(`mallory${d}`, T0 + d * 24 * HOUR + 6 * HOUR + 30_000)]);
    const drafts = await feed(detector, env, byTime([...learning, ...days.flat(), ...hostileSession('mallory6', T0 + 6 * 24 * HOUR)]));
    expect(drafts.map((d) => d.user?.name)).toEqual(['mallory1', 'mallory2', 'mallory3', 'mallory4', 'mallory5', 'mallory6']);
    const doc = detector.exportModel?.() as { samples: { training: { rows: number[][] }; reference: { rows: number[][] } } };
    const marker = FEATURE_NAMES.indexOf('payload_marker_share');
    for (const sample of [doc.samples.training, doc.samples.reference]) expect(Math.max(...sample.rows.map((r) => r[marker]!))).toBeLessThan(0.2);
  });

  it('exports its samples, so an imported model goes on learning exactly as the original', async () => {
    const { detector, env } = direct(SMALL);
    await feed(detector, env, [...learning, ...grownDay(1, 1.5), ...grownDay(2, 2.2)]);
    const doc = JSON.parse(JSON.stringify(detector.exportModel?.())) as { format: string; trainedAt: number };
    expect(doc.format).toBe('sidetap-behavior-forest/2');
    const imported = direct(SMALL, doc);
    const rest = [...grownDay(3, 3.4), ...grownDay(4, 5), ...hostileSession('mallory', T0 + 4 * 24 * HOUR + HOUR)];
    const a = await feed(detector, env, byTime(rest));
    const b = await feed(imported.detector, imported.env, byTime(rest));
    expect(b).toEqual(a);
    expect(a.map((d) => d.user?.name)).toContain('mallory');
    expect(JSON.stringify(imported.detector.exportModel?.())).toBe(JSON.stringify(detector.exportModel?.()));
  });

  it('reads a model of the first format, which has no samples, and retrains once it has gathered enough', async () => {
    const { detector, env } = direct();
    await feed(detector, env, learning);
    const { samples: _samples, trainedAt: _trainedAt, ...v2 } = detector.exportModel?.() as Record<string, unknown>;
    const v1 = { ...v2, format: 'sidetap-behavior-forest/1' };
    const imported = direct({}, JSON.parse(JSON.stringify(v1)));
    expect(imported.detector.model!.threshold).toBe(detector.model!.threshold);
    await feed(imported.detector, imported.env, [...grownDay(1, 1), ...grownDay(2, 1)]);
    expect(imported.counters.get('anomaly_behavior_forest_retrained_total')).toBe(1);
    expect(() => direct({}, { ...v2, format: 'sidetap-behavior-forest/2' })).toThrow(/^behavior_forest model: trainedAt: required in sidetap-behavior-forest\/2/);
  });
});
