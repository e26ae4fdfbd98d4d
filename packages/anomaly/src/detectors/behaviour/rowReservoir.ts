// A bounded, seeded sample of feature rows that favours recent ones: a row offered at event time t
// gets the priority t·ln2/halfLife + G, G a Gumbel draw, and the `capacity` highest priorities are
// kept (Efraimidis and Spirakis' weighted sampling, with weights doubling every half-life). So a
// row's chance of staying halves with each half-life after it, and over a span much shorter than
// the half-life (one learning day) the sample is close to uniform. The draws hash the seed with
// the row's number, so the same rows, times and seed keep the same sample, and a sample read back
// from its document goes on exactly as the original would.
import { z } from 'zod';

const LN2 = Math.log(2);
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

interface Entry {
  row: Float64Array;
  /** Event time the row was offered at. */
  t: number;
  /** Its Gumbel draw. */
  g: number;
  priority: number;
}

/** splitmix32's finaliser: a bijection of 32-bit words that spreads every input bit. */
function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A uniform draw in (0, 1) for row number n of the sample seeded `seed`. */
function uniform(seed: number, n: number): number {
  const lo = n % TWO_POW_32;
  const hi = Math.floor(n / TWO_POW_32);
  const a = mix32(seed ^ mix32(lo + 0x9e3779b9) ^ mix32(hi + 0x7f4a7c15));
  const b = mix32(a + 0x6a09e667);
  return ((a >>> 5) * 67108864 + (b >>> 6) + 0.5) / TWO_POW_53;
}

export const rowReservoirDocumentSchema = z
  .object({
    /** Rows offered so far (numbers the next draw). */
    seen: z.number().int().min(0),
    rows: z.array(z.array(z.number())),
    /** Event time each row was offered at, and its Gumbel draw. */
    times: z.array(z.number()),
    draws: z.array(z.number()),
  })
  .strict()
  .refine((d) => d.times.length === d.rows.length && d.draws.length === d.rows.length, 'rows, times and draws must be as many');

export type RowReservoirDocument = z.output<typeof rowReservoirDocumentSchema>;

export class RowReservoir {
  /** Min-heap on priority: the root is the first to make room. */
  private readonly heap: Entry[] = [];
  private readonly rate: number;
  /** Rows offered so far. */
  seen = 0;

  /** Without a half-life the sample is uniform. */
  constructor(
    readonly capacity: number,
    private readonly seed: number,
    halfLifeMs = Infinity,
  ) {
    this.rate = LN2 / halfLifeMs;
  }

  /** Offers a row seen at event time t. */
  add(row: Float64Array, t = 0): void {
    const g = -Math.log(-Math.log(uniform(this.seed, this.seen++)));
    this.offer({ row, t, g, priority: t * this.rate + g });
  }

  get size(): number {
    return this.heap.length;
  }

  /** The kept rows, in a fixed order (read, do not keep). */
  sample(): Float64Array[] {
    return this.heap.map((e) => e.row);
  }

  clear(): void {
    this.heap.length = 0;
  }

  toDocument(): RowReservoirDocument {
    return { seen: this.seen, rows: this.heap.map((e) => Array.from(e.row)), times: this.heap.map((e) => e.t), draws: this.heap.map((e) => e.g) };
  }

  /** A sample read back from its document (already checked against the schema), kept within `capacity`. */
  static fromDocument(doc: RowReservoirDocument, capacity: number, seed: number, halfLifeMs: number): RowReservoir {
    const r = new RowReservoir(capacity, seed, halfLifeMs);
    r.seen = doc.seen;
    doc.rows.forEach((row, i) => r.offer({ row: Float64Array.from(row), t: doc.times[i]!, g: doc.draws[i]!, priority: doc.times[i]! * r.rate + doc.draws[i]! }));
    return r;
  }

  private offer(e: Entry): void {
    const h = this.heap;
    if (h.length < this.capacity) {
      h.push(e);
      this.siftUp(h.length - 1);
    } else if (e.priority > h[0]!.priority) {
      h[0] = e;
      this.siftDown(0);
    }
  }

  private siftUp(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.priority <= h[i]!.priority) return;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l]!.priority < h[m]!.priority) m = l;
      if (r < h.length && h[r]!.priority < h[m]!.priority) m = r;
      if (m === i) return;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }
}
