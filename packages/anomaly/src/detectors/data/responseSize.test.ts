import { MemoryStateStore } from '@sidetap/bus';
import { Counters } from '@sidetap/core';
import type { Event } from '@sidetap/core';
import type { DetectorEnv } from '../../detector';
import { detectAll } from '../../testEngine';
import { event } from '../../testEvents';
import { createResponseSize, responseSizeConfigSchema } from './responseSize';

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
    expect(f[0]!.message).toContain('times the largest learned answer of any endpoint');
    expect(await detectAll([...learning.slice(0, 5), reviews('m', T0 + 26 * HOUR, 33_000)], { learnMs: 24 * HOUR })).toEqual([]);
  });

  describe('after learning', () => {
    // Answers growing 10% every 10 minutes after learning, from the learned 3 KB to about 200 KB in 7 hours.
    const growing = Array.from({ length: 44 }, (_, k) => reviews(`g${k}`, T0 + 25 * HOUR + k * 10 * 60_000, Math.round(3200 * 1.1 ** k)));
    const last = growing[growing.length - 1]!;

    it('follows an endpoint whose answers grow slowly', async () => {
      expect(last.http.response!.body.bytes).toBeGreaterThan(20 * 3200 * 3);
      expect(await detectAll([...learning, ...growing], { learnMs: 24 * HOUR })).toEqual([]);
      // The same answer right after learning is far beyond what was learned.
      const jump = reviews('jump', T0 + 25 * HOUR, last.http.response!.body.bytes);
      expect((await detectAll([...learning, jump], { learnMs: 24 * HOUR })).map((x) => x.rule.id)).toEqual(['response_size_anomaly.oversized']);
    });

    it('never learns the oversized answers it reported', async () => {
      const big = [0, 1, 2].map((k) => reviews(`b${k}`, T0 + 26 * HOUR + k * 1000, 2_000_000));
      // Two hours later (past the cooldown) an answer a thirteenth of the first burst is still far beyond the learned sizes.
      const again = reviews('again', T0 + 28 * HOUR, 150_000);
      const f = await detectAll([...learning, ...big, again], { learnMs: 24 * HOUR });
      expect(f.map((x) => x.sidetap.evidence.observed)).toEqual(['2000000 bytes', '150000 bytes']);
      const expected = /^at most (\d+) bytes \(largest learned answer, from 40 responses\)$/.exec(String(f[1]!.sidetap.evidence.expected));
      // The learned 3.2 KB, a little faded over the two days since: the 2 MB answers taught nothing.
      expect(Number(expected?.[1])).toBeGreaterThan(2500);
      expect(Number(expected?.[1])).toBeLessThanOrEqual(3200);
    });

    it('forgets its largest answers with the half-life, so a shrunken endpoint is judged by its new sizes', async () => {
      // After learning the endpoint answers about 1 KB for a day; with a 2-hour half-life its 3.2 KB largest fades to that.
      const small = Array.from({ length: 48 }, (_, k) => reviews(`s${k}`, T0 + 24 * HOUR + k * 30 * 60_000, 1000));
      const probe = reviews('probe', T0 + 48 * HOUR, 40_000);
      const config = (halfLifeMs: number) => ({ learnMs: 24 * HOUR, detectors: { response_size_anomaly: { halfLifeMs } } });
      expect(await detectAll([...learning, ...small, probe], config(7 * 24 * HOUR))).toEqual([]);
      expect((await detectAll([...learning, ...small, probe], config(2 * HOUR))).map((x) => x.rule.id)).toEqual(['response_size_anomaly.oversized']);
    });
  });

  it("reads what another engine sharing the store taught, not the values it kept from its own last read", async () => {
    // Two engine instances over one store (as over Redis): A keeps what it read, B then teaches a larger answer.
    const state = new MemoryStateStore({ kind: 'memory' });
    const learnUntil = T0 + 24 * HOUR;
    const env: DetectorEnv = {
      state,
      counters: new Counters(),
      learning: (t) => t < learnUntil,
      teach: () => undefined,
      reportedSince: () => false,
    };
    const config = responseSizeConfigSchema.parse({});
    const a = createResponseSize(config);
    const b = createResponseSize(config);
    const observe = async (d: typeof a, e: Event): Promise<number> => (await d.observe(e, Date.parse(e['@timestamp']), env)).length;
    for (const e of learning) expect(await observe(a, e)).toBe(0);
    expect(await observe(b, reviews('wide', T0 + 23 * HOUR, 100_000))).toBe(0);
    // A megabyte is 20 times the 3.2 KB A read last, but not 20 times the 100 KB B taught since.
    expect(await observe(a, reviews('mb', T0 + 24 * HOUR + 1000, 1_000_000))).toBe(0);
    expect(await observe(a, reviews('huge', T0 + 24 * HOUR + 2000, 3_000_000))).toBe(1);
  });
});

