import type { Event } from '@sidetap/core';
import { detectAll } from '../../testEngine';
import { event } from '../../testEvents';

const T0 = Date.UTC(2024, 4, 1, 0, 0, 0);
const HOUR = 3_600_000;
const config = { learnMs: 24 * HOUR };

function step(id: string, at: number, session: string, method: string, path: string): Event {
  const e = event({ id, at, actor: `jwt:${session}`, user: session, method, path, endpoint: path });
  e.sidetap.session.id = session;
  return e;
}

// Thirty learned shopping sessions: add to cart, in every third apply a coupon once, check out.
const learning = Array.from({ length: 30 }, (_, i) => {
  const at = T0 + i * 30 * 60_000;
  return [
    step(`v${i}`, at, `s${i}`, 'GET', '/api/v1/products'),
    step(`c${i}`, at + 1000, `s${i}`, 'POST', '/api/v1/cart/items'),
    ...(i % 3 === 0 ? [step(`k${i}`, at + 2000, `s${i}`, 'POST', '/api/v1/cart/coupon')] : []),
    step(`o${i}`, at + 3000, `s${i}`, 'POST', '/api/v1/checkout'),
  ];
}).flat();

describe('sequence_anomaly', () => {
  it('reports a checkout without the cart step that always came before it', async () => {
    const f = await detectAll([...learning, step('x', T0 + 30 * HOUR, 'mallory', 'POST', '/api/v1/checkout')], config);
    expect(f.map((x) => x.rule.id)).toEqual(['sequence_anomaly.skipped_step']);
    expect(f[0]!.sidetap.evidence.observed).toBe('no POST /api/v1/cart/items earlier in the session');
  });

  it('reports a coupon applied far more often in a row than any session did', async () => {
    const abuse = Array.from({ length: 8 }, (_, k) => step(`a${k}`, T0 + 30 * HOUR + k * 1000, 'eve', 'POST', '/api/v1/cart/coupon'));
    const f = await detectAll([...learning, step('ec', T0 + 30 * HOUR - 1000, 'eve', 'POST', '/api/v1/cart/items'), ...abuse], config);
    expect(f.map((x) => x.rule.id)).toEqual(['sequence_anomaly.repeated_step']);
  });

  it('stays silent on the learned workflow and on repeated reads', async () => {
    const normal = [
      step('n1', T0 + 30 * HOUR, 'ann', 'POST', '/api/v1/cart/items'),
      step('n2', T0 + 30 * HOUR + 1000, 'ann', 'POST', '/api/v1/checkout'),
      ...Array.from({ length: 10 }, (_, k) => step(`r${k}`, T0 + 30 * HOUR + 2000 + k, 'ann', 'GET', '/api/v1/products')),
    ];
    expect(await detectAll([...learning, ...normal], config)).toEqual([]);
  });
});
