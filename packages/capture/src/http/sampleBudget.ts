// Raw body samples held across all connections, bounded as a whole: one sample is capped by
// bodyRawSampleBytes, but a hostile sender opening many connections with slow bodies would
// otherwise hold cap x connections x pending requests.

export interface SampleLimits {
  /** Largest raw sample of one body (config.bodyRawSampleBytes). */
  readonly cap: number;
  readonly budget: SampleBudget;
}

export class SampleBudget {
  private held = 0;

  constructor(readonly limit: number) {}

  /** Bytes of raw samples held now. */
  get used(): number {
    return this.held;
  }

  /** Reserves `n` bytes; false (and nothing reserved) when they do not fit. */
  take(n: number): boolean {
    if (this.held + n > this.limit) return false;
    this.held += n;
    return true;
  }

  give(n: number): void {
    this.held -= n;
  }
}
