import type { Event } from '@sidetap/core';
import { detectAll } from '../../testEngine';
import { event } from '../../testEvents';

const T0 = Date.UTC(2024, 4, 1, 0, 0, 0);
const HOUR = 3_600_000;

function reviews(id: string, at: number, bytes: number): Event {
  const e = event({ id, at, path: '/api/v1/products/7/reviews', endpoint: '/api/v1/products/{id}/reviews' });
  e.http.response!.body.bytes = bytes;
  return e;
}

const learning = Array.from({ length: 40 }, (_, i) => reviews(`l${i}`, T0 + i * 60_000, 800 + (i % 9) * 300));

describe('response_size_anomaly', () => {
  it('fires once when an endpoint answers far larger than it ever did while learning', async () => {
    const big = [0, 1, 2].map((k) => reviews(`b${k}`, T0 + 26 * HOUR + k * 1000, 2_000_000));
    const f = await detectAll([...learning, ...big], { learnMs: 24 * HOUR });
    expect(f.map((x) => x.rule.id)).toEqual(['response_size_anomaly.oversized']);
    expect(f[0]!.sidetap.endpoint).toBe('/api/v1/products/{id}/reviews');
  });

  it('stays silent for ordinary sizes', async () => {
    expect(await detectAll([...learning, reviews('n', T0 + 26 * HOUR, 3000)], { learnMs: 24 * HOUR })).toEqual([]);
  });

  it("holds an endpoint with little history to the whole API's largest learned answer", async () => {
    const f = await detectAll([...learning.slice(0, 5), reviews('b', T0 + 26 * HOUR, 2_000_000)], { learnMs: 24 * HOUR });
    expect(f[0]!.message).toContain('times the largest answer any endpoint gave');
    expect(await detectAll([...learning.slice(0, 5), reviews('m', T0 + 26 * HOUR, 40_000)], { learnMs: 24 * HOUR })).toEqual([]);
  });
});
