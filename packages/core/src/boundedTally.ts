// Counts per name with a cap on distinct names, so a hostile input cannot grow a label set
// without bound: names past the cap are counted together under `other`.

export class BoundedTally {
  private readonly counts = new Map<string, number>();
  private overflow = 0;

  constructor(private readonly maxNames: number) {}

  add(name: string, by = 1): void {
    const seen = this.counts.get(name);
    if (seen !== undefined) this.counts.set(name, seen + by);
    else if (this.counts.size < this.maxNames) this.counts.set(name, by);
    else this.overflow += by;
  }

  /** The most frequent names first; the capped remainder as `other`. */
  top(limit = this.maxNames): Array<[string, number]> {
    const rows = [...this.counts.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, limit);
    if (this.overflow > 0) rows.push(['other', this.overflow]);
    return rows;
  }
}
