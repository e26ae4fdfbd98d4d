import { binMs, latencyBin, LATENCY_BINS, quantileBin, SeasonalBaseline } from './seasonalBaseline';
import { binomialSurprise, poissonSurprise } from './tailSurprise';

const BUCKET = 600_000;
const OPTIONS = { bucketMs: BUCKET, halfLifeMs: 7 * 86_400_000, priorWeight: 6, slowQuantile: 0.95 };
/** Bucket index of hour h on day d (1970-01-01 was a Thursday). */
const bucketAt = (d: number, h: number, i = 0): number => d * 144 + h * 6 + i;
const none = new Float64Array(LATENCY_BINS);

describe('SeasonalBaseline', () => {
  it('falls back on the level shaped by the whole API where an endpoint has no history at that hour', () => {
    const b = new SeasonalBaseline(OPTIONS);
    b.add('GET /a', false);
    b.add('GET /b', false);
    for (let i = 0; i < 6; i++) {
      // The API is twice as busy at 12:00 as at 00:00; /b was only seen at noon.
      b.learn('GET /a', { bucket: bucketAt(0, 0, i), requests: 10, errors5xx: 0, latency: none });
      b.learn('GET /a', { bucket: bucketAt(0, 12, i), requests: 20, errors5xx: 0, latency: none });
      b.learnApi(bucketAt(0, 0, i), 10, 0);
      b.learnApi(bucketAt(0, 12, i), 40, 0);
      b.learn('GET /b', { bucket: bucketAt(0, 12, i), requests: 20, errors5xx: 0, latency: none });
    }
    expect(b.apiShape(12)).toBeGreaterThan(b.apiShape(0));
    // Its own hour weighs as much as the fallback after priorWeight buckets.
    const own = b.expect('GET /a', bucketAt(1, 12))!.requests;
    expect(own).toBeGreaterThan(15);
    expect(own).toBeLessThan(25);
    // An hour /b never saw is its level scaled by the API's quiet night, leaning on its own empty slot only as far as it was seen.
    const night = b.expect('GET /b', bucketAt(1, 3))!;
    expect(night.requests).toBeGreaterThan(0);
    expect(night.requests).toBeLessThan(b.expect('GET /b', bucketAt(1, 12))!.requests);
  });

  it('counts a bursty endpoint as overdispersed and a steady one as Poisson', () => {
    const b = new SeasonalBaseline(OPTIONS);
    b.add('GET /steady', false);
    b.add('GET /bursty', false);
    for (let h = 0; h < 24; h++) {
      for (let i = 0; i < 6; i++) {
        b.learn('GET /steady', { bucket: bucketAt(0, h, i), requests: 10 + (i % 2), errors5xx: 0, latency: none });
        b.learn('GET /bursty', { bucket: bucketAt(0, h, i), requests: i === 0 ? 60 : 0, errors5xx: 0, latency: none });
      }
    }
    expect(b.expect('GET /steady', 0)!.dispersion).toBe(1);
    expect(b.expect('GET /bursty', 0)!.dispersion).toBeGreaterThan(20);
  });

  it('forgets with its half-life', () => {
    const b = new SeasonalBaseline({ ...OPTIONS, halfLifeMs: BUCKET });
    b.add('GET /a', false);
    b.learn('GET /a', { bucket: 0, requests: 10, errors5xx: 0, latency: none });
    b.age();
    expect(b.expect('GET /a', 0)!.learnedBuckets).toBeCloseTo(0.5);
  });

  it('bins latencies on a log scale and reads quantiles back', () => {
    expect(latencyBin(0.2)).toBe(0);
    expect(latencyBin(100)).toBeLessThan(latencyBin(150));
    expect(latencyBin(1e9)).toBe(LATENCY_BINS - 1);
    const hist = new Float64Array(LATENCY_BINS);
    for (let i = 0; i < 100; i++) hist[latencyBin(i < 90 ? 50 : 2000)]! += 1;
    expect(binMs(quantileBin(hist, 0.5)!)).toBeGreaterThan(35);
    expect(binMs(quantileBin(hist, 0.5)!)).toBeLessThan(70);
    expect(binMs(quantileBin(hist, 0.95)!)).toBeGreaterThan(1400);
  });
});

describe('tail surprise', () => {
  it('grows with the distance from what was expected and shrinks with dispersion', () => {
    expect(poissonSurprise(10, 10)).toBe(0);
    expect(poissonSurprise(40, 10)).toBeGreaterThan(poissonSurprise(20, 10));
    expect(poissonSurprise(40, 10, 4)).toBeCloseTo(poissonSurprise(40, 10) / 4);
    // A Chernoff bound: never more surprised than the exact tail (P(X >= 30 | 10) is about 7e-7).
    expect(poissonSurprise(30, 10)).toBeLessThan(6.2);
    expect(binomialSurprise(5, 10, 0.01)).toBeGreaterThan(6);
    expect(binomialSurprise(0, 0, 0.5)).toBe(0);
  });
});
