import { MemoryStateStore } from '@sidetap/bus';
import { Counters } from '@sidetap/core';
import type { Event, Finding } from '@sidetap/core';
import type { FindingDraft } from '../../findingDraft';
import { detectAll } from '../../testEngine';
import { event } from '../../testEvents';
import { slotValues } from './enumeration';
import { createScraping, scrapingConfigSchema } from './scraping';

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

  it('finds the same with two instances sharing one store (as over Redis) as with one: neither trusts stats the other rewrote', async () => {
    const events = sweep(150, (i) => 2000 + ((i * 7) % 5) * 10, (i) => `/api/v1/products/${i}`);
    const run = async (instances: number): Promise<FindingDraft[]> => {
      const env = { state: new MemoryStateStore({ kind: 'memory' }), counters: new Counters(), learning: () => false };
      const detectors = Array.from({ length: instances }, () => createScraping(scrapingConfigSchema.parse({})));
      const out: FindingDraft[] = [];
      for (const [i, e] of events.entries()) out.push(...(await detectors[i % instances]!.observe(e, Date.parse(e['@timestamp']), env)));
      return out;
    };
    const one = await run(1);
    expect(one).toHaveLength(1);
    expect(await run(2)).toEqual(one);
    expect(await run(3)).toEqual(one);
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

describe('slotValues', () => {
  it('takes the values standing in the slots of a template, whatever the empty segments', () => {
    expect(slotValues('/api/v1/orders/{id}', '/api/v1/orders/42')).toBe('42');
    expect(slotValues('/api/v1/orders/{id}', '//api/v1//orders/42/')).toBe('42');
    expect(slotValues('/shops/{shop}/orders/{id}/items', '/shops/7/orders/42/items')).toBe('7/42');
    expect(slotValues('/v{n}/x', 'v2/x')).toBe('v2');
    // Asked again: the template's shape is remembered, the answer is the same.
    expect(slotValues('/shops/{shop}/orders/{id}/items', '/shops/8/orders/43/items')).toBe('8/43');
  });

  it('is undefined without a slot, or when the path does not line up with the template', () => {
    expect(slotValues('/api/v1/health', '/api/v1/health')).toBeUndefined();
    expect(slotValues('/api/v1/orders/{id}', '/api/v1/orders')).toBeUndefined();
    expect(slotValues('/api/v1/orders/{id}', '/api/v1/orders/42/extra')).toBeUndefined();
    expect(slotValues('/api/v1/orders/{id}', '')).toBeUndefined();
  });
});
