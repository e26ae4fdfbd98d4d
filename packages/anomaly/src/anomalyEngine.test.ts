import { DirectoryModelStore, MemoryStateStore } from '@sidetap/bus';
import { Counters, findingSchema } from '@sidetap/core';
import type { Event, Finding } from '@sidetap/core';
import { pino } from 'pino';
import { anomalyConfigSchema } from './anomalyConfig';
import { createAnomalyEngine } from './anomalyEngine';
import { event } from './testEvents';

const MIN = 60_000;
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

async function detect(events: Event[], config: object = {}): Promise<{ findings: Finding[]; counters: Counters }> {
  const counters = new Counters();
  const engine = createAnomalyEngine(anomalyConfigSchema.parse(config), {
    logger: pino({ level: 'silent' }),
    counters,
    storeDir: '/nonexistent',
    models: new DirectoryModelStore('/nonexistent'),
    state: new MemoryStateStore({ kind: 'memory' }),
  });
  const findings: Finding[] = [];
  for (let i = 0; i < events.length; i += 7) findings.push(...(await engine.process(events.slice(i, i + 7))));
  findings.push(...(await engine.flush(Number.MAX_SAFE_INTEGER)));
  for (const f of findings) expect(findingSchema.safeParse(f).error).toBeUndefined();
  return { findings, counters };
}

const failedLogin = (i: number, at: number, user: string, ip: string): Event =>
  event({ id: `l${i}`, at, ip, method: 'POST', path: '/api/v1/auth/login', login: { user, outcome: 'failure' }, status: 401 });

describe('brute_force', () => {
  it('fires once when one account fails its threshold within the window, naming account and window', async () => {
    const events = Array.from({ length: 14 }, (_, i) => failedLogin(i, T0 + i * 20_000, 'alice', '198.51.100.7'));
    const { findings } = await detect(events);
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.rule).toEqual({ id: 'brute_force.account', name: 'Brute force against one account', category: 'brute_force' });
    expect(f.user).toEqual({ name: 'alice' });
    expect(f.source?.ip).toBe('198.51.100.7');
    expect(f.sidetap.evidence.window).toEqual({ start: new Date(T0).toISOString(), end: new Date(T0 + 9 * 20_000).toISOString() });
    expect(f.sidetap.evidence.exchange_ids).toHaveLength(10);
    expect(f.sidetap.owasp_api).toBe('API2:2023');
  });

  it('stays silent below the threshold and when failures are spread wider than the window', async () => {
    expect((await detect(Array.from({ length: 9 }, (_, i) => failedLogin(i, T0 + i * 1000, 'bob', '198.51.100.8')))).findings).toEqual([]);
    expect((await detect(Array.from({ length: 20 }, (_, i) => failedLogin(i, T0 + i * 2 * MIN, 'bob', '198.51.100.8')))).findings).toEqual([]);
  });

  it('fires on one source address failing across accounts', async () => {
    const events = Array.from({ length: 30 }, (_, i) => failedLogin(i, T0 + i * 5000, `user${i % 3}`, '198.51.100.9'));
    const { findings } = await detect(events, { detectors: { brute_force: { accountFailures: 100 } } });
    expect(findings.map((f) => f.rule.id)).toEqual(['brute_force.source']);
  });
});

describe('credential_stuffing', () => {
  it('fires on failures across many user names from many sources, each trying a few', async () => {
    const events = Array.from({ length: 40 }, (_, i) => failedLogin(i, T0 + i * 30_000, `victim${i}@example.org`, `192.0.2.${10 + (i % 12)}`));
    const { findings } = await detect(events);
    const stuffing = findings.filter((f) => f.rule.category === 'credential_stuffing');
    expect(stuffing).toHaveLength(1);
    expect(stuffing[0]!.sidetap.endpoint).toBe('/api/v1/auth/login');
    expect(stuffing[0]!.message).toMatch(/20 different user names from 12 addresses/);
  });

  it('is not stuffing when one address sprays many accounts on top of the usual scattered typos', async () => {
    // Ten users mistype their password from their own addresses over the hour; one address then
    // tries forty accounts in two minutes: password spraying, brute_force's to report.
    const typos = Array.from({ length: 10 }, (_, i) => failedLogin(i, T0 + i * 5 * MIN, `user${i}@example.org`, `192.0.2.${20 + i}`));
    const spray = Array.from({ length: 40 }, (_, i) => failedLogin(100 + i, T0 + 55 * MIN + i * 3000, `victim${i}@example.org`, '198.51.100.77'));
    const { findings } = await detect([...typos, ...spray]);
    expect(findings.filter((f) => f.rule.category === 'credential_stuffing')).toEqual([]);
    expect(findings.filter((f) => f.rule.category === 'brute_force').length).toBeGreaterThan(0);
  });

  it('is not stuffing when the failures come from one or two addresses', async () => {
    const events = Array.from({ length: 40 }, (_, i) => failedLogin(i, T0 + i * 30_000, `victim${i}@example.org`, `192.0.2.${i % 2}`));
    const { findings } = await detect(events);
    expect(findings.filter((f) => f.rule.category === 'credential_stuffing')).toEqual([]);
  });
});

describe('enumeration', () => {
  const walk = (n: number, status: (i: number) => number, actor = 'jwt:mallory') =>
    Array.from({ length: n }, (_, i) =>
      event({ id: `o${i}`, at: T0 + i * 3000, actor, path: `/api/v1/orders/${7000 + i}`, endpoint: '/api/v1/orders/{id}', status: status(i) }),
    );

  it('fires when one actor walks object ids and is mostly denied', async () => {
    const { findings } = await detect(walk(25, (i) => (i % 5 === 0 ? 200 : 403)));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.sidetap.actor_key).toBe('jwt:mallory');
    expect(findings[0]!.sidetap.owasp_api).toBe('API1:2023');
    expect(findings[0]!.sidetap.evidence.observed).toBe('15 ids, 12 denied');
  });

  it('stays silent for a user reading many of its own objects', async () => {
    expect((await detect(walk(40, () => 200))).findings).toEqual([]);
  });

  it('stays silent for a user browsing many products with a refusal or two, across the turn of a window', async () => {
    // A 404 now and then while reading 17 products over nine minutes; T0 starts a fresh 10-minute
    // window just before the second 404. Judged on its ids, 2 of 17 denied is no walk.
    const at = [-570, ...Array.from({ length: 15 }, (_, i) => -540 + i * 36), 10, 20].map((s) => T0 + s * 1000);
    const browsing = at.map((t, i) =>
      event({ id: `p${i}`, at: t, actor: 'jwt:harry', path: `/api/v1/products/${300 + i}`, endpoint: '/api/v1/products/{id}', status: i === 0 || i === at.length - 1 ? 404 : 200 }),
    );
    expect((await detect(browsing)).findings).toEqual([]);
  });
});

describe('anomaly engine', () => {
  it('gives identical findings, ids included, on every run', async () => {
    const events = Array.from({ length: 30 }, (_, i) => failedLogin(i, T0 + i * 10_000, i % 2 ? 'alice' : 'bob', '198.51.100.7'));
    const a = await detect(events);
    const b = await detect(events);
    expect(a.findings.length).toBeGreaterThan(0);
    expect(b.findings).toEqual(a.findings);
  });

  it('drops suppressed findings and counts them', async () => {
    const events = Array.from({ length: 12 }, (_, i) => failedLogin(i, T0 + i * 1000, 'carol', '198.51.100.7'));
    const { findings, counters } = await detect(events, { suppressions: [{ rule: 'brute_force', actor: 'carol', reason: 'load test' }] });
    expect(findings).toEqual([]);
    expect(counters.get('anomaly_findings_suppressed_total{detector="brute_force"}')).toBe(1);
  });

  it('runs only the enabled detectors', async () => {
    const events = Array.from({ length: 12 }, (_, i) => failedLogin(i, T0 + i * 1000, 'dave', '198.51.100.7'));
    expect((await detect(events, { detectors: { brute_force: { enabled: false } } })).findings).toEqual([]);
  });
});
