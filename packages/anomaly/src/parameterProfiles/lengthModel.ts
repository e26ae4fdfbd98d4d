// Attribute length (Kruegel & Vigna §4.1): the mean and variance of a parameter's value lengths,
// and the Chebyshev bound on how often a normal value lies as far above the mean as this one.

/**
 * A learned variance below this floor is raised to it, so a field of (nearly) constant length,
 * such as ids that all had five digits, still tolerates a little growth.
 */
function varianceFloor(mean: number): number {
  return Math.max(1, 0.01 * mean * mean);
}

export class LengthModel {
  constructor(
    public mean = 0,
    /** Population variance, updated in place (Welford) so an exported model reloads bit for bit. */
    public variance = 0,
    public max = 0,
  ) {}

  /** `count` is the number of values learned including this one. */
  learn(length: number, count: number): void {
    const delta = length - this.mean;
    this.mean += delta / count;
    this.variance += (delta * (length - this.mean) - this.variance) / count;
    if (length > this.max) this.max = length;
  }

  /**
   * Chebyshev: P(|X − μ| ≥ |l − μ|) ≤ σ² / (l − μ)². Only lengths above the mean are judged, as
   * attacks add content (overflows, injected clauses); a short value is for the shape model.
   */
  pValue(length: number): number {
    const excess = length - this.mean;
    if (excess <= 0) return 1;
    return Math.min(1, Math.max(this.variance, varianceFloor(this.mean)) / (excess * excess));
  }

  describe(length: number): string {
    return `is ${length} characters long where ${Math.round(this.mean)} ± ${Math.round(Math.sqrt(this.variance))} (at most ${this.max}) was learned`;
  }
}
