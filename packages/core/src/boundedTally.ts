// Counts per name with a cap on distinct names, so a hostile input cannot grow a label set
// without bound: names past the cap are counted together under `other`.

export class BoundedTally {
  // Each count sits in a box of its own, so counting a name seen before is one map lookup (a
  // get then a set costs two, on every exchange of a replay's summary).
  private readonly counts = new Map<string, { n: number }>();
  private overflow = 0;

  constructor(private readonly maxNames: number) {}

  add(name: string, by = 1): void {
    const seen = this.counts.get(name);
    if (seen !== undefined) seen.n += by;
    else if (this.counts.size < this.maxNames) this.counts.set(name, { n: by });
    else this.overflow += by;
  }

  /** The most frequent names first; the capped remainder as `other`. */
  top(limit = this.maxNames): Array<[string, number]> {
    const rows: Array<[string, number]> = [];
    for (const [name, seen] of this.counts) rows.push([name, seen.n]);
    const top = rows.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, limit);
    if (this.overflow > 0) top.push(['other', this.overflow]);
    return top;
  }
}
