// Typed telemetry counters. Names follow `<stage>_<noun>_<verb>_total`; a label set is bounded
// by the caller (label values come from fixed vocabularies or capped top-N tables).

export class Counters {
  private readonly values = new Map<string, number>();

  inc(name: string, by = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + by);
  }

  /** For gauges (a level, not a count): the value now. */
  set(name: string, value: number): void {
    this.values.set(name, value);
  }

  get(name: string): number {
    return this.values.get(name) ?? 0;
  }

  /** Counters in name order, zero values included only if they were ever touched. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of [...this.values.keys()].sort()) out[name] = this.values.get(name) ?? 0;
    return out;
  }
}
