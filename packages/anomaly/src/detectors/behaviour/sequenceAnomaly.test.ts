import type { Event, Finding } from '@sidetap/core';
import { detectAll, detectShared } from '../../testEngine';
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

  it('judges a workflow once minOccurrences calls were learned, with less confidence while they are few', async () => {
    const checkout = step('x', T0 + 30 * HOUR, 'mallory', 'POST', '/api/v1/checkout');
    const sessions = (n: number) => learning.filter((e) => Number(e.event.id.slice(1)) < n);
    // Nine learned checkouts: not yet a workflow (the default minOccurrences is ten). What was
    // learned fades with a week's half-life, so fourteen a day ago count as some twelve.
    expect(await detectAll([...sessions(9), checkout], config)).toEqual([]);
    const few = await detectAll([...sessions(14), checkout], config);
    expect(few.map((x) => x.rule.id)).toEqual(['sequence_anomaly.skipped_step']);
    const many = await detectAll([...sessions(30), checkout], config);
    expect(many.map((x) => x.rule.id)).toEqual(['sequence_anomaly.skipped_step']);
    // The risk score weighs the confidence: 0.5 of the severity's risk with twelve, 0.7 with 26.
    expect(few[0]!.event.risk_score / many[0]!.event.risk_score).toBeCloseTo(0.5 / 0.7, 1);
  });

  it('reports a coupon applied far more often in a row than any session did', async () => {
    const abuse = Array.from({ length: 8 }, (_, k) => step(`a${k}`, T0 + 30 * HOUR + k * 1000, 'eve', 'POST', '/api/v1/cart/coupon'));
    const f = await detectAll([...learning, step('ec', T0 + 30 * HOUR - 1000, 'eve', 'POST', '/api/v1/cart/items'), ...abuse], config);
    expect(f.map((x) => x.rule.id)).toEqual(['sequence_anomaly.repeated_step']);
  });

  it('counts the steps of the session a visit continues: a phone that changed address mid-checkout', async () => {
    // One account (one JWT subject), two sessions: the cart is filled in the first, checked out in
    // the second twenty minutes after the first went quiet. Three hours later, a checkout alone.
    const as = (id: string, at: number, session: string, method: string, path: string): Event => {
      const e = event({ id, at, actor: 'jwt:user-7', user: 'zoe', method, path, endpoint: path });
      e.sidetap.session.id = session;
      return e;
    };
    const t = T0 + 30 * HOUR;
    const split = [
      as('z1', t, 'zA', 'POST', '/api/v1/cart/items'),
      as('z2', t + 5 * 60_000, 'zA', 'GET', '/api/v1/products'),
      as('z3', t + 25 * 60_000, 'zB', 'GET', '/api/v1/products'),
      as('z4', t + 25 * 60_000 + 1000, 'zB', 'POST', '/api/v1/checkout'),
    ];
    expect(await detectAll([...learning, ...split], config)).toEqual([]);
    const later = as('z5', t + 3 * HOUR, 'zC', 'POST', '/api/v1/checkout');
    expect((await detectAll([...learning, ...split, later], config)).map((x) => [x.rule.id, x.user?.name])).toEqual([['sequence_anomaly.skipped_step', 'zoe']]);
    // Another account's cart is no one else's.
    const other = event({ id: 'o1', at: t + 25 * 60_000, actor: 'jwt:user-8', user: 'yan', method: 'POST', path: '/api/v1/checkout', endpoint: '/api/v1/checkout' });
    expect((await detectAll([...learning, ...split.slice(0, 2), other], config)).map((x) => x.user?.name)).toEqual(['yan']);
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

describe('sequence_anomaly after learning', () => {
  // Thirty learned sessions: cart, one or two coupons in a row, checkout.
  const learned = Array.from({ length: 30 }, (_, i) => {
    const at = T0 + i * 30 * 60_000;
    const coupons = Array.from({ length: 1 + (i % 2) }, (_, k) => step(`k${i}-${k}`, at + 2000 + k * 100, `s${i}`, 'POST', '/api/v1/cart/coupon'));
    return [step(`c${i}`, at + 1000, `s${i}`, 'POST', '/api/v1/cart/items'), ...coupons, step(`o${i}`, at + 3000, `s${i}`, 'POST', '/api/v1/checkout')];
  }).flat();
  /** A session of `who` at `at`: a cart add, `coupons` coupons in a row, a checkout. */
  const couponRun = (who: string, at: number, coupons: number): Event[] => [
    step(`${who}-c`, at, who, 'POST', '/api/v1/cart/items'),
    ...Array.from({ length: coupons }, (_, k) => step(`${who}-k${k}`, at + 1000 + k * 1000, who, 'POST', '/api/v1/cart/coupon')),
    step(`${who}-o`, at + 1000 + coupons * 1000, who, 'POST', '/api/v1/checkout'),
  ];
  const checkoutOnly = (who: string, at: number): Event[] => [step(`${who}-b`, at, who, 'POST', '/api/v1/buy-now'), step(`${who}-o`, at + 1000, who, 'POST', '/api/v1/checkout')];

  it('follows runs that grow slowly over the days', async () => {
    // Runs of 3 to 5 on the second day, then up to 14: each ended run teaches, raising the bar three times over.
    const runs = [3, 4, 5, 5, 7, 9, 12, 14, 14];
    const later = runs.flatMap((n, i) => couponRun(`u${i}`, T0 + (26 + 4 * i) * HOUR, n));
    expect(await detectAll([...learned, ...later], config)).toEqual([]);
    // Fourteen in a row right after learning is far beyond the learned two.
    expect((await detectAll([...learned, ...couponRun('early', T0 + 26 * HOUR, 14)], config)).map((f) => f.rule.id)).toEqual(['sequence_anomaly.repeated_step']);
  });

  it('learns no run of an actor another detector reported while the run went on', async () => {
    // The same growing runs, but each customer's cart request carries an SQL injection that
    // request_threats reports: the runs after it teach nothing, so fourteen in a row stays far
    // beyond the learned two.
    const runs = [3, 4, 5, 5, 7, 9, 12, 14, 14];
    const later = runs.flatMap((n, i) => couponRun(`u${i}`, T0 + (26 + 4 * i) * HOUR, n));
    for (const e of later.filter((x) => x.event.id.endsWith('-c'))) e.url.query = "ref=1' OR '1'='1";
    const f = await detectAll([...learned, ...later, ...couponRun('late', T0 + 70 * HOUR, 14)], config);
    expect(f.filter((x) => x.rule.category === 'sequence_anomaly').map((x) => x.user?.name)).toContain('late');
    expect(f.filter((x) => x.rule.category === 'sqli').length).toBe(runs.length);
  });

  it('finds the same with two engines sharing one store (as over Redis) as with one', async () => {
    // Each engine keeps the values it wrote last parsed; the other's writes must be read afresh.
    const runs = [3, 4, 5, 5, 7, 9, 12, 14, 14];
    const events = [...learned, ...runs.flatMap((n, i) => couponRun(`u${i}`, T0 + (26 + 4 * i) * HOUR, n)), ...couponRun('late', T0 + 70 * HOUR, 60), ...checkoutOnly('trent', T0 + 71 * HOUR)];
    const seen = (f: Finding[]) => f.filter((x) => x.rule.category === 'sequence_anomaly').map((x) => `${x.user?.name} ${x.rule.id}`);
    const one = seen(await detectAll(events, config));
    expect(one).toEqual(['late sequence_anomaly.repeated_step', 'trent sequence_anomaly.skipped_step']);
    expect(seen(await detectShared(events, config, 2))).toEqual(one);
  });

  it('learns a new workflow many timelines take at once, and stops reporting it', async () => {
    // A "buy now" button: sixty customers check out without a cart within an hour; the first three are reported.
    const shift = Array.from({ length: 60 }, (_, i) => checkoutOnly(`b${i}`, T0 + 26 * HOUR + i * 60_000)).flat();
    const lone = checkoutOnly('late', T0 + 40 * HOUR);
    const f = await detectAll([...learned, ...shift, ...lone], config);
    expect(f.map((x) => x.user?.name)).toEqual(['b0', 'b1', 'b2']);
  });

  it('never learns from a session once it raised a finding', async () => {
    // mallory checks out without a cart every hour for ten hours and applies a coupon twenty times in a row;
    // afterwards both are still reported for someone else.
    const mallory = Array.from({ length: 10 }, (_, i) => step(`m${i}`, T0 + (26 + i) * HOUR, `mallory${i}`, 'POST', '/api/v1/checkout'));
    for (const e of mallory) e.sidetap.session.timeline = 'user:mallory';
    const eve = couponRun('eve', T0 + 27 * HOUR, 20);
    const after = [...checkoutOnly('trent', T0 + 40 * HOUR), ...couponRun('frank', T0 + 41 * HOUR, 7)];
    const f = await detectAll([...learned, ...mallory, ...eve, ...after], config);
    expect(f.filter((x) => ['trent', 'frank'].includes(x.user!.name!)).map((x) => [x.user?.name, x.rule.id])).toEqual([
      ['trent', 'sequence_anomaly.skipped_step'],
      ['frank', 'sequence_anomaly.repeated_step'],
    ]);
  });
});
