import type { Event, Finding } from '@sidetap/core';
import { detectAll } from '../../testEngine';
import { event } from '../../testEvents';
import { distanceKm } from './impossibleTravel';
import { networkOf } from './tokenReuse';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const MIN = 60_000;
const TOKYO = { lat: 35.68, lon: 139.69, country: 'JP' };
const AMSTERDAM = { lat: 52.37, lon: 4.9, country: 'NL' };
const ROTTERDAM = { lat: 51.92, lon: 4.48, country: 'NL' };

const detect = (events: Event[]): Promise<Finding[]> => detectAll(events, {});

const alice = { actor: 'jwt:alice', user: 'alice', credential: 'h:aliceaaaaaaaaaaaaaaaaa' };

describe('impossible_travel', () => {
  it('fires on Amsterdam then Tokyo twenty minutes apart, with both requests as evidence', async () => {
    const f = await detect([
      event({ id: 'a', at: T0, ip: '193.0.0.1', geo: AMSTERDAM, ...alice }),
      event({ id: 'b', at: T0 + 20 * MIN, ip: '133.11.0.1', geo: TOKYO, ...alice }),
    ]);
    const travel = f.filter((x) => x.rule.category === 'impossible_travel');
    expect(travel).toHaveLength(1);
    expect(travel[0]!.sidetap.evidence.exchange_ids).toEqual(['a', 'b']);
    expect(travel[0]!.message).toContain('NL (193.0.0.1) and JP (133.11.0.1)');
  });

  it('stays silent for a train ride, a long enough flight, and low-confidence or internal geo', async () => {
    expect(await detect([event({ id: 'a', at: T0, geo: AMSTERDAM, ...alice }), event({ id: 'b', at: T0 + 30 * MIN, geo: ROTTERDAM, ...alice })])).toEqual([]);
    expect(await detect([event({ id: 'a', at: T0, geo: AMSTERDAM, ...alice }), event({ id: 'b', at: T0 + 14 * 60 * MIN, geo: TOKYO, ...alice })])).toEqual([]);
    expect(
      await detect([event({ id: 'a', at: T0, geo: AMSTERDAM, ...alice }), event({ id: 'b', at: T0 + 5 * MIN, geo: { ...TOKYO, confidence: 'low' }, ...alice })]),
    ).toEqual([]);
  });

  it('measures great-circle distance', () => {
    expect(Math.round(distanceKm(AMSTERDAM, TOKYO))).toBeGreaterThan(9200);
    expect(Math.round(distanceKm(AMSTERDAM, TOKYO))).toBeLessThan(9400);
  });
});

describe('device_change', () => {
  it('fires once per credential on the device_changed fact', async () => {
    const f = await detect([
      event({ id: 'a', at: T0, ...alice, facts: ['device_changed'], device: { id: 'd2', browser: 'curl' } }),
      event({ id: 'b', at: T0 + MIN, ...alice, facts: ['device_changed'], device: { id: 'd3', browser: 'curl' } }),
    ]);
    expect(f.map((x) => x.rule.category)).toEqual(['device_change']);
    expect(f[0]!.sidetap.actor_key).toBe('jwt:alice');
  });
});

describe('token_reuse', () => {
  it('fires when one credential comes from three networks within minutes, not when a phone hops within one', async () => {
    const f = await detect(['198.51.100.7', '203.0.113.9', '192.0.2.1'].map((ip, i) => event({ id: `t${i}`, at: T0 + i * MIN, ip, ...alice })));
    expect(f.map((x) => x.rule.category)).toEqual(['token_reuse']);
    const hops = await detect(['198.51.100.7', '198.51.7.9', '198.51.200.1'].map((ip, i) => event({ id: `h${i}`, at: T0 + i * MIN, ip, ...alice })));
    expect(hops).toEqual([]);
    expect(networkOf('2001:db8:1:2::1')).toBe('2001:db8:1');
  });
});

describe('token_reuse after logout', () => {
  it('fires when a credential comes back after its session logged out', async () => {
    const f = await detect([
      event({ id: 'a', at: T0, ...alice }),
      event({ id: 'out', at: T0 + MIN, method: 'POST', path: '/api/v1/auth/logout', ...alice }),
      event({ id: 'again', at: T0 + 30 * MIN, ip: '198.51.100.99', status: 401, ...alice }),
    ]);
    expect(f.map((x) => x.rule.id)).toEqual(['token_reuse.after_logout']);
    expect(f[0]!.sidetap.evidence.exchange_ids.sort()).toEqual(['again', 'out']);
  });
});
