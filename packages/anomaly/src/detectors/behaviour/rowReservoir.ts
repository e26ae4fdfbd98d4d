// A bounded, seeded uniform sample of feature rows (Vitter's algorithm R): however long the
// learning period, training sees at most `capacity` sessions, each equally likely to be kept,
// and the same stream with the same seed keeps the same rows.
import { SeededRandom } from '../../isolationForest';

export class RowReservoir {
  private readonly rows: Float64Array[] = [];
  private readonly random: SeededRandom;
  /** Rows offered so far. */
  seen = 0;

  constructor(
    readonly capacity: number,
    seed: number,
  ) {
    this.random = new SeededRandom(seed);
  }

  add(row: Float64Array): void {
    this.seen++;
    if (this.rows.length < this.capacity) {
      this.rows.push(row);
      return;
    }
    const j = this.random.nextInt(this.seen);
    if (j < this.capacity) this.rows[j] = row;
  }

  get size(): number {
    return this.rows.length;
  }

  /** The kept rows (the reservoir's own array: read, do not keep). */
  sample(): readonly Float64Array[] {
    return this.rows;
  }

  clear(): void {
    this.rows.length = 0;
  }
}
