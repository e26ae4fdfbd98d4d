// The n greatest items of a stream by a comparison, in bounded memory: items pile up to twice n,
// then are sorted and cut back to n, so each item costs a logarithmic share of one sort.

export class Riskiest<T> {
  private items: T[] = [];
  private seen = 0;

  /** `before(a, b) < 0` when a ranks above b. */
  constructor(
    private readonly n: number,
    private readonly before: (a: T, b: T) => number,
  ) {}

  add(item: T): void {
    this.seen++;
    if (this.n === 0) return;
    this.items.push(item);
    if (this.items.length >= 2 * this.n) this.cut();
  }

  /** Items offered, kept or not. */
  get offered(): number {
    return this.seen;
  }

  /** The n greatest, greatest first. */
  top(): T[] {
    this.cut();
    return [...this.items];
  }

  private cut(): void {
    this.items.sort(this.before);
    if (this.items.length > this.n) this.items.length = this.n;
  }
}
