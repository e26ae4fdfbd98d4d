// Per-feature learned quantiles (p1, p50, p99) of the training rows: what the forest cannot say,
// namely which features put a session outside what was learned, in words a person reads.
import type { FeatureSpec } from './sessionFeatures';

export interface FeatureQuantiles {
  readonly p1: number[];
  readonly p50: number[];
  readonly p99: number[];
}

export interface FeatureDeviation {
  readonly feature: number;
  /** How far outside the learned p1..p99, in units of the learned spread on that side. */
  readonly distance: number;
  readonly text: string;
}

/** Quantile of sorted values by linear interpolation (the R-7 / numpy default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function learnQuantiles(rows: readonly Float64Array[], dimensions: number): FeatureQuantiles {
  const p1: number[] = [];
  const p50: number[] = [];
  const p99: number[] = [];
  const column = new Float64Array(rows.length);
  for (let f = 0; f < dimensions; f++) {
    for (let i = 0; i < rows.length; i++) column[i] = rows[i]![f]!;
    column.sort();
    p1.push(quantileSorted(column, 0.01));
    p50.push(quantileSorted(column, 0.5));
    p99.push(quantileSorted(column, 0.99));
  }
  return { p1, p50, p99 };
}

/**
 * Features outside their learned p1..p99, furthest first. The spread on each side has a floor
 * (the feature's unit) so a feature that never moved while learning does not turn a hair's
 * breadth into an infinite distance.
 */
export function deviations(row: ArrayLike<number>, q: FeatureQuantiles, specs: readonly FeatureSpec[]): FeatureDeviation[] {
  const out: FeatureDeviation[] = [];
  for (let f = 0; f < specs.length; f++) {
    const x = row[f]!;
    const spec = specs[f]!;
    const hi = q.p99[f]!;
    const lo = q.p1[f]!;
    const mid = q.p50[f]!;
    if (x > hi) {
      const distance = (x - hi) / Math.max(hi - mid, spec.unit);
      out.push({ feature: f, distance, text: `${spec.show(x)} ${spec.label} (learned p99 ${spec.show(hi)})` });
    } else if (x < lo) {
      const distance = (lo - x) / Math.max(mid - lo, spec.unit);
      out.push({ feature: f, distance, text: `${spec.show(x)} ${spec.label} (learned p1 ${spec.show(lo)})` });
    }
  }
  return out.sort((a, b) => b.distance - a.distance || a.feature - b.feature);
}

/** Per-feature scale for distances between rows: the learned p1..p99 width, at least one unit. */
export function featureScales(q: FeatureQuantiles, specs: readonly FeatureSpec[]): number[] {
  return specs.map((spec, f) => Math.max(q.p99[f]! - q.p1[f]!, spec.unit));
}
