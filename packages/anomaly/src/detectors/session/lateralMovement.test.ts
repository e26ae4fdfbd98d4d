import type { Event } from '@sidetap/core';
import { detectAll } from '../../testEngine';
import { event } from '../../testEvents';

const T0 = Date.UTC(2024, 4, 1, 0, 0, 0);
const HOUR = 3_600_000;
const config = { learnMs: 24 * HOUR };

function call(id: string, at: number, who: { actor: string; user?: string; ip: string; public: boolean }, domain: string, path = '/v1/things', status = 200): Event {
  const e = event({ id, at, actor: who.actor, ...(who.user !== undefined ? { user: who.user } : {}), ip: who.ip, path, status });
  e.url.domain = domain;
  e.sidetap.geo = { scope: who.public ? 'public' : 'internal' };
  return e;
}

const svc = { actor: 'jwt:svc-orders', ip: '10.20.1.5', public: false };
const ann = { actor: 'jwt:user-7', user: 'ann', ip: '198.51.100.7', public: true };
const learning = [
  ...Array.from({ length: 30 }, (_, i) => call(`s${i}`, T0 + i * 60_000, svc, 'users.internal')),
  ...Array.from({ length: 30 }, (_, i) => call(`a${i}`, T0 + i * 60_000, ann, 'api.example.com')),
];

describe('lateral_movement', () => {
  it("reports a person's token on a destination only services called", async () => {
    const f = await detectAll([...learning, call('x', T0 + 26 * HOUR, { ...ann, ip: '10.20.3.31', public: false }, 'users.internal')], config);
    expect(f.map((x) => x.rule.id)).toEqual(['lateral_movement.service_destination']);
  });

  it('reports a person refused on several endpoints it never used', async () => {
    const probes = ['/admin/users', '/admin/roles', '/admin/settings'].map((p, k) => call(`p${k}`, T0 + 26 * HOUR + k * 1000, ann, 'api.example.com', p, 403));
    const f = await detectAll([...learning, ...probes].map((e) => ({ ...e, sidetap: { ...e.sidetap, endpoint: e.url.path } })), config);
    expect(f.map((x) => x.rule.id)).toEqual(['lateral_movement.refused_functions']);
  });

  it('stays silent for services on their own hosts and people on theirs', async () => {
    const later = [call('s', T0 + 26 * HOUR, svc, 'users.internal'), call('a', T0 + 26 * HOUR, ann, 'api.example.com')];
    expect(await detectAll([...learning, ...later], config)).toEqual([]);
  });
});
