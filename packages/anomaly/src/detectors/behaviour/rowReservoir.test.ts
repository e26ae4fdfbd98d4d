import { RowReservoir, rowReservoirDocumentSchema } from './rowReservoir';

const HOUR = 3_600_000;

describe('RowReservoir with a half-life', () => {
  /** 4000 rows, one a minute for about 67 hours, into 200 places; row i holds i. */
  const fill = (halfLifeMs: number, seed = 7): RowReservoir => {
    const r = new RowReservoir(200, seed, halfLifeMs);
    for (let i = 0; i < 4000; i++) r.add(Float64Array.of(i), i * 60_000);
    return r;
  };
  const newest = (r: RowReservoir): number => r.sample().filter((row) => row[0]! >= 3000).length / r.size;

  it('keeps recent rows in proportion to the half-life, and a uniform sample without one', () => {
    // The last quarter of the rows (the last 17 hours): about a quarter of a uniform sample, nearly all with a 2-hour half-life.
    expect(newest(fill(Infinity))).toBeGreaterThan(0.15);
    expect(newest(fill(Infinity))).toBeLessThan(0.35);
    expect(newest(fill(2 * HOUR))).toBeGreaterThan(0.95);
    expect(newest(fill(24 * HOUR))).toBeGreaterThan(newest(fill(Infinity)));
    expect(newest(fill(24 * HOUR))).toBeLessThan(newest(fill(2 * HOUR)));
  });

  it('keeps the same rows for the same seed and goes on exactly as before after its document is read back', () => {
    expect(fill(24 * HOUR).sample()).toEqual(fill(24 * HOUR).sample());
    expect(fill(24 * HOUR, 8).sample()).not.toEqual(fill(24 * HOUR).sample());
    const a = fill(24 * HOUR);
    const doc = rowReservoirDocumentSchema.parse(JSON.parse(JSON.stringify(a.toDocument())));
    const b = RowReservoir.fromDocument(doc, 200, 7, 24 * HOUR);
    for (let i = 4000; i < 5000; i++) {
      a.add(Float64Array.of(i), i * 60_000);
      b.add(Float64Array.of(i), i * 60_000);
    }
    expect(b.sample()).toEqual(a.sample());
    expect(b.seen).toBe(5000);
  });

  it('refuses a document whose rows, times and draws disagree', () => {
    expect(rowReservoirDocumentSchema.safeParse({ seen: 1, rows: [[1]], times: [], draws: [0] }).success).toBe(false);
  });
});
