import type { Event, Finding } from '@sidetap/core';
import { detectAll } from '../../testEngine';
import { event } from '../../testEvents';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const MIN = 60_000;

const detect = (events: Event[]): Promise<Finding[]> => detectAll(events, {});

describe('scraping', () => {
  const sweep = (n: number, gap: (i: number) => number, path: (i: number) => string) => {
    let t = T0;
    return Array.from({ length: n }, (_, i) => {
      t += gap(i);
      return event({ id: `p${i}`, at: t, ip: '3.80.1.106', path: path(i), endpoint: '/api/v1/products/{id}' });
    });
  };

  it('fires on a regular sweep of many pages', async () => {
    const f = await detect(sweep(150, (i) => 2000 + ((i * 7) % 5) * 10, (i) => `/api/v1/products/${i}`));
    expect(f.map((x) => x.rule.id)).toEqual(['scraping.regular_sweep']);
  });

  it('stays silent for a person (irregular gaps) and for a poller (one path)', async () => {
    expect(await detect(sweep(150, (i) => 500 + ((i * 7919) % 11) * 900, (i) => `/api/v1/products/${i}`))).toEqual([]);
    expect(await detect(sweep(150, () => 2000, () => '/api/v1/health'))).toEqual([]);
  });
});

describe('rate_limit_probing', () => {
  const limited = (minute: number, k: number) =>
    event({ id: `r${minute}-${k}`, at: T0 + minute * MIN + k * 1000, actor: 'jwt:jbrown', user: 'jbrown', path: '/api/v1/search', status: 429 });

  it('fires when an actor hits the limit in several different minutes', async () => {
    const f = await detect([0, 3, 6, 9].flatMap((m) => [limited(m, 0), limited(m, 1)]));
    expect(f.map((x) => x.rule.id)).toEqual(['rate_limit_probing.repeated_limit']);
    expect(f[0]!.sidetap.owasp_api).toBe('API4:2023');
  });

  it('stays silent for one burst into the limit', async () => {
    expect(await detect(Array.from({ length: 10 }, (_, k) => limited(0, k)))).toEqual([]);
  });
});

describe('distributed_attack', () => {
  const hit = (i: number, at: number, ip: string, path = '/api/v1/giftcards/check') =>
    event({ id: `g${i}`, at, ip, method: 'POST', path, endpoint: path, status: 404 });
  const HOUR = 3_600_000;
  const learning = Array.from({ length: 30 }, (_, i) => hit(i, T0 + i * 40 * 60_000, `198.51.100.${i % 3}`));

  it('fires when an endpoint sees far more thin sources in an hour than it ever did while learning', async () => {
    const spread = Array.from({ length: 80 }, (_, i) => hit(1000 + i, T0 + 30 * HOUR + i * 20_000, `203.0.${Math.floor(i / 200)}.${i % 200}`));
    const f = await detectAll([...learning, ...spread], { learnMs: 24 * HOUR });
    expect(f.map((x) => x.rule.id)).toEqual(['distributed_attack.many_sources']);
  });

  it('leaves login attempts to the credential stuffing detector', async () => {
    const logins = Array.from({ length: 80 }, (_, i) => {
      const e = hit(2000 + i, T0 + 30 * HOUR + i * 20_000, `203.0.0.${i}`, '/api/v1/auth/login');
      e.sidetap.login = { user: `u${i}`, outcome: 'failure' };
      return e;
    });
    expect((await detectAll([...learning, ...logins], { learnMs: 24 * HOUR, detectors: { credential_stuffing: { enabled: false } } })).filter((f) => f.rule.category === 'distributed_attack')).toEqual([]);
  });
});
