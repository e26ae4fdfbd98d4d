import { DirectoryModelStore, MemoryStateStore, createStateStore } from '@sidetap/bus';
import { Counters, eventSchema, sessionSummarySchema } from '@sidetap/core';
import type { Event, HttpExchange, SessionSummary, StageContext, StateStore } from '@sidetap/core';
import { pino } from 'pino';
import { startRedis } from '../../../scripts/redis/redisServer';
import type { Enrichers } from './enrichers';
import { createSessionizer } from './sessionizer';
import { sessionizerConfigSchema } from './sessionizerConfig';
import { exchange, hashOf } from './testExchanges';

const MIN = 60_000;
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const END = Number.MAX_SAFE_INTEGER;

// Plain enrichers: the real ones have their own tests; here the session logic is under test.
const enrichers: Enrichers = {
  endpoints: { match: (_m, path) => ({ template: path.replace(/\/\d+/g, '/{id}') }) },
  geo: { lookup: (ip) => (ip.startsWith('10.') ? { scope: 'internal' } : { scope: 'public', geo: { country_iso_code: 'NL' } }) },
  devices: { fingerprint: (h) => (h['user-agent'] === undefined ? undefined : { id: `d-${h['user-agent']}` }) },
};

function context(state: StateStore): StageContext {
  return { logger: pino({ level: 'silent' }), counters: new Counters(), storeDir: '/nonexistent', state, models: new DirectoryModelStore('/nonexistent') };
}

async function run(exchanges: HttpExchange[], options: { state?: StateStore; config?: object; batch?: number } = {}) {
  const ctx = context(options.state ?? new MemoryStateStore({ kind: 'memory' }));
  const s = createSessionizer(sessionizerConfigSchema.parse(options.config ?? {}), ctx, enrichers);
  const out: (Event | SessionSummary)[] = [];
  const size = options.batch ?? 3;
  for (let i = 0; i < exchanges.length; i += size) out.push(...(await s.process(exchanges.slice(i, i + size))));
  out.push(...(await s.flush(END)));
  const events = out.filter((r): r is Event => r.event.dataset === 'sidetap.event');
  const sessions = out.filter((r): r is SessionSummary => r.event.dataset === 'sidetap.session');
  for (const e of events) expect(eventSchema.safeParse(e).error).toBeUndefined();
  for (const x of sessions) expect(sessionSummarySchema.safeParse(x).error).toBeUndefined();
  return { events, sessions, counters: ctx.counters };
}

const A = hashOf('tokenA');
const B = hashOf('tokenB');

function loginAndRefresh(): HttpExchange[] {
  return [
    exchange({ id: 'login', at: T0, method: 'POST', path: '/login', requestMime: 'application/json', requestBody: '{"username":"alice","password":"h:pwpwpwpwpwpwpwpwpwpwpw"}', responseBody: `{"access_token":"${A}","expires_in":3600}` }),
    exchange({ id: 'r1', at: T0 + 1000, credential: A, path: '/api/orders/17' }),
    exchange({ id: 'refresh', at: T0 + 2000, credential: A, method: 'POST', path: '/token/refresh', responseBody: `{"access_token":"${B}"}` }),
    exchange({ id: 'r2', at: T0 + 3000, credential: B, path: '/api/orders/18' }),
  ];
}

describe('sessionizer', () => {
  it('keeps a user on one timeline and session across login and token refresh', async () => {
    const { events } = await run(loginAndRefresh(), { batch: 1 });
    const byId = new Map(events.map((e) => [e.event.id, e]));
    for (const id of ['r1', 'refresh', 'r2']) {
      expect(byId.get(id)!.sidetap.session.timeline).toBe('user:alice');
      expect(byId.get(id)!.user).toEqual({ name: 'alice' });
      expect(byId.get(id)!.sidetap.facts).toContain('identity_linked');
    }
    expect(byId.get('r1')!.sidetap.session.id).toBe(byId.get('r2')!.sidetap.session.id);
    expect([byId.get('r1')!.sidetap.session.seq, byId.get('refresh')!.sidetap.session.seq, byId.get('r2')!.sidetap.session.seq]).toEqual([1, 2, 3]);
    // The login itself was made before any credential: it stays on the client's timeline.
    expect(byId.get('login')!.sidetap.session.timeline).toBe('ip:203.0.113.9');
    expect(byId.get('r2')!.sidetap.endpoint).toBe('/api/orders/{id}');
  });

  it('links within one batch as well as across batches', async () => {
    const one = await run(loginAndRefresh(), { batch: 10 });
    const many = await run(loginAndRefresh(), { batch: 1 });
    expect(one.events).toEqual(many.events);
  });

  it('ties a session cookie set by the login response to the user', async () => {
    const C = hashOf('cookie1');
    const { events } = await run([
      exchange({ id: 'login', at: T0, method: 'POST', path: '/signin', requestMime: 'application/x-www-form-urlencoded', requestBody: 'user=bob&password=h:pwpwpwpwpwpwpwpwpwpwpw', setCookie: `sessionid=${C}; Path=/; HttpOnly` }),
      exchange({ id: 'r1', at: T0 + 500, credential: C, actor: `cookie:${C}` }),
    ]);
    expect(events[1]!.sidetap.session.timeline).toBe('user:bob');
  });

  it('keeps clients behind one address apart when their tokens differ, and anonymous traffic on the address', async () => {
    const { events } = await run([
      exchange({ id: 'a', at: T0, credential: hashOf('one') }),
      exchange({ id: 'b', at: T0 + 1, credential: hashOf('two') }),
      exchange({ id: 'c', at: T0 + 2 }),
    ]);
    const timelines = events.map((e) => e.sidetap.session.timeline);
    expect(new Set(timelines).size).toBe(3);
    expect(timelines[2]).toBe('ip:203.0.113.9');
    expect(new Set(events.map((e) => e.sidetap.session.id)).size).toBe(3);
  });

  it('splits sessions on inactivity and maximum length, with deterministic ids and summaries', async () => {
    const cred = hashOf('steady');
    const xs = [
      exchange({ id: '1', at: T0, credential: cred }),
      exchange({ id: '2', at: T0 + 10 * MIN, credential: cred, status: 500 }),
      exchange({ id: '3', at: T0 + 50 * MIN, credential: cred }), // 40 min pause: new session
      exchange({ id: '4', at: T0 + 50 * MIN + 1, credential: cred }),
    ];
    const first = await run(xs);
    const second = await run(xs);
    const ids = first.events.map((e) => e.sidetap.session.id);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[1]);
    expect(ids[2]).toBe(ids[3]);
    expect(second.events.map((e) => e.sidetap.session.id)).toEqual(ids);
    expect(first.sessions.map((s) => [s.sidetap.session.requests, s.sidetap.session.errors, s.sidetap.session.closed_by])).toEqual([
      [2, 1, 'inactivity'],
      [2, 0, 'end_of_stream'],
    ]);
    expect(first.sessions[0]!.sidetap.session.error_ratio).toBe(0.5);
    expect(first.sessions[0]!.sidetap.session.countries).toEqual(['NL']);

    const long = await run(
      [0, 20, 40, 60, 80].map((m, i) => exchange({ id: `l${i}`, at: T0 + m * MIN, credential: cred })),
      { config: { sessionMaxMs: 60 * MIN } },
    );
    expect(long.sessions.map((s) => s.sidetap.session.closed_by)).toEqual(['max_length', 'end_of_stream']);
  });

  it('closes idle sessions when the watermark passes their gap, not before', async () => {
    const ctx = context(new MemoryStateStore({ kind: 'memory' }));
    const s = createSessionizer(sessionizerConfigSchema.parse({}), ctx, enrichers);
    await s.process([exchange({ id: '1', at: T0, credential: A })]);
    expect(await s.flush(T0 + 29 * MIN)).toEqual([]);
    const closed = await s.flush(T0 + 31 * MIN);
    expect(closed).toHaveLength(1);
    expect((closed[0] as SessionSummary).sidetap.session.closed_by).toBe('inactivity');
  });

  it('keeps a late (out-of-order) request in its session and counts it', async () => {
    const cred = hashOf('late');
    const { events, counters } = await run([
      exchange({ id: '1', at: T0 + 5000, credential: cred }),
      exchange({ id: '2', at: T0, credential: cred }),
    ]);
    expect(events[0]!.sidetap.session.id).toBe(events[1]!.sidetap.session.id);
    expect(counters.get('sessionizer_events_late_total')).toBe(1);
  });

  it('notes alg none, expiry, invalid tokens and device changes as facts', async () => {
    const cred = hashOf('jwt1');
    const { events } = await run([
      exchange({ id: '1', at: T0, credential: cred, actor: 'jwt:eve', jwt: { status: 'unverified', alg: 'none', exp: T0 / 1000 - 10 }, userAgent: 'curl/8' }),
      exchange({ id: '2', at: T0 + 1, credential: cred, actor: 'jwt:eve', jwt: { status: 'invalid', alg: 'RS256' }, userAgent: 'python-requests/2' }),
    ]);
    expect(events[0]!.sidetap.facts).toEqual(expect.arrayContaining(['jwt_alg_none', 'jwt_expired']));
    expect(events[0]!.sidetap.facts).not.toContain('device_changed');
    expect(events[1]!.sidetap.facts).toEqual(expect.arrayContaining(['jwt_invalid', 'device_changed']));
    expect(events[0]!.user).toEqual({ id: 'eve' });
  });

  it('closes the least recently active session early beyond maxOpenSessions, and counts it', async () => {
    const { sessions, counters } = await run(
      [1, 2, 3].map((n) => exchange({ id: `${n}`, at: T0 + n, credential: hashOf(`c${n}`) })),
      { config: { maxOpenSessions: 2 }, batch: 1 },
    );
    expect(sessions.map((s) => s.sidetap.session.closed_by).sort()).toEqual(['end_of_stream', 'end_of_stream', 'evicted']);
    expect(counters.get('sessionizer_sessions_evicted_total')).toBe(1);
  });

  it('gives identical events with the memory and the Redis state store', async () => {
    const redis = await startRedis();
    try {
      const store = await createStateStore({ kind: 'redis', url: redis.url, prefix: 'sessionizer-test:' });
      const xs = [...loginAndRefresh(), exchange({ id: 'x', at: T0 + 45 * MIN, credential: B })];
      const viaRedis = await run(xs, { state: store });
      const viaMemory = await run(xs);
      await store.close();
      expect(viaRedis.events).toEqual(viaMemory.events);
      expect(viaRedis.sessions).toEqual(viaMemory.sessions);
    } finally {
      await redis.stop();
    }
  });
});

describe('login attempts', () => {
  it('marks a request naming a user with a hashed password as a login, with its outcome', async () => {
    const { events } = await run([
      exchange({ id: 'ok', at: T0, method: 'POST', path: '/login', requestMime: 'application/json', requestBody: '{"email":"eve@example.org","password":"h:pwpwpwpwpwpwpwpwpwpwpw"}', status: 200 }),
      exchange({ id: 'bad', at: T0 + 1, method: 'POST', path: '/auth', requestMime: 'application/x-www-form-urlencoded', requestBody: 'username=mallory&pass=h:pwpwpwpwpwpwpwpwpwpwpw', status: 401 }),
      exchange({ id: 'search', at: T0 + 2, method: 'POST', path: '/search', requestMime: 'application/json', requestBody: '{"user":"x","q":"passport"}' }),
    ]);
    expect(events.map((e) => e.sidetap.login)).toEqual([{ user: 'eve@example.org', outcome: 'success' }, { user: 'mallory', outcome: 'failure' }, undefined]);
  });
});

describe('device changes', () => {
  it('does not call a second device with its own token a change, only a token moving between devices', async () => {
    const { events } = await run([
      exchange({ id: '1', at: T0, actor: 'jwt:sam', credential: hashOf('phone'), userAgent: 'ShopApp/3 (iPhone)' }),
      exchange({ id: '2', at: T0 + 1, actor: 'jwt:sam', credential: hashOf('laptop'), userAgent: 'Mozilla/5.0 Firefox' }),
      exchange({ id: '3', at: T0 + 2, actor: 'jwt:sam', credential: hashOf('phone'), userAgent: 'curl/8' }),
    ]);
    expect(events.map((e) => e.sidetap.facts ?? [])).toEqual([[], [], ['device_changed']]);
  });
});
