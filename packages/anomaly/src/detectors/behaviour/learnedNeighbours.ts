// A bounded sample of learned sessions to ask "was anything learned like this?". An isolation
// forest scores a small, tight group of normal sessions (a service account's calls) as isolated
// as a lone attacker; a session close to k learned ones (closer than learned sessions usually are
// to their own k-th neighbour) is rare but known, and is not reported.
import { quantileSorted } from './featureQuantiles';

export class LearnedNeighbours {
  constructor(
    /** Learned rows, divided by the scales already. */
    private readonly rows: readonly Float64Array[],
    readonly scales: readonly number[],
    readonly k: number,
    /** Distance to the k-th nearest learned row at or below which a row counts as learned-like. */
    readonly gate: number,
  ) {}

  /** Learns the gate: the `quantile` of each learned row's distance to its own k-th neighbour. */
  static learn(rows: readonly Float64Array[], scales: readonly number[], k: number, quantile: number): LearnedNeighbours {
    const scaled = rows.map((r) => scale(r, scales));
    const probe = new LearnedNeighbours(scaled, scales, k, 0);
    const own = Float64Array.from(scaled, (r, i) => probe.kthScaled(r, i)).sort();
    return new LearnedNeighbours(scaled, scales, k, quantileSorted(own, quantile));
  }

  /** Rows as stored (scaled), for the model document. */
  scaledRows(): readonly Float64Array[] {
    return this.rows;
  }

  kthDistance(row: ArrayLike<number>): number {
    return this.kthScaled(scale(row, this.scales), -1);
  }

  isLearnedLike(row: ArrayLike<number>): boolean {
    return this.kthDistance(row) <= this.gate;
  }

  /** Euclidean distance to the k-th nearest stored row, leaving out row `skip`. */
  private kthScaled(row: Float64Array, skip: number): number {
    const k = Math.min(this.k, this.rows.length - (skip >= 0 ? 1 : 0));
    if (k <= 0) return Infinity;
    // The k smallest squared distances so far, ascending.
    const best = new Float64Array(k).fill(Infinity);
    for (let i = 0; i < this.rows.length; i++) {
      if (i === skip) continue;
      const other = this.rows[i]!;
      let d = 0;
      for (let f = 0; f < row.length && d < best[k - 1]!; f++) {
        const diff = row[f]! - other[f]!;
        d += diff * diff;
      }
      if (d >= best[k - 1]!) continue;
      let j = k - 1;
      while (j > 0 && best[j - 1]! > d) {
        best[j] = best[j - 1]!;
        j--;
      }
      best[j] = d;
    }
    return Math.sqrt(best[k - 1]!);
  }
}

function scale(row: ArrayLike<number>, scales: readonly number[]): Float64Array {
  const out = new Float64Array(scales.length);
  for (let f = 0; f < scales.length; f++) out[f] = row[f]! / scales[f]!;
  return out;
}
