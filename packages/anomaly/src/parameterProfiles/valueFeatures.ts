// One pass over a value that yields what every value model reads: its character-class and
// punctuation masks, its sorted character frequencies in the paper's six bins, and its formats.
// A single scratch instance is reused per profile set so the hot path allocates nothing.
import { ASCII_CLASS, nonAsciiClass, PUNCT_INDEX } from './charClasses';
import { formatsOf } from './valueFormats';

/**
 * Kruegel & Vigna's bins over the sorted character frequencies: the most frequent character,
 * ranks 2-4, 5-7, 8-12, 13-16 and the rest.
 */
export const BIN_COUNT = 6;
const BIN_ENDS = [1, 4, 7, 12, 16, Infinity] as const;

export class ValueFeatures {
  /** Characters analysed (the value after truncation). */
  analysed = 0;
  /** Class bits (CLASS_*). */
  classes = 0;
  /** Punctuation bits: bit i for PUNCTUATION[i]. */
  punct = 0;
  /** Format bits: bit i for FORMAT_NAMES[i]. */
  formats = 0;
  /** Character counts per bin, sorted-frequency order; sums to `analysed`. */
  readonly bins = new Float64Array(BIN_COUNT);

  private readonly ascii = new Uint32Array(128);
  private readonly touched: number[] = [];
  private readonly other = new Map<number, number>();
  private readonly counts: number[] = [];

  analyse(value: string): this {
    const n = value.length;
    let classes = 0;
    let punct = 0;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c < 128) {
        const seen = this.ascii[c] ?? 0;
        if (seen === 0) this.touched.push(c);
        this.ascii[c] = seen + 1;
        const pi = PUNCT_INDEX[c] ?? 0;
        if (pi !== 0) punct |= 1 << (pi - 1);
        else classes |= ASCII_CLASS[c] ?? 0;
      } else {
        this.other.set(c, (this.other.get(c) ?? 0) + 1);
        classes |= nonAsciiClass(c);
      }
    }
    this.analysed = n;
    this.classes = classes;
    this.punct = punct;
    this.fillBins();
    this.formats = formatsOf(value, classes, punct);
    return this;
  }

  private fillBins(): void {
    const counts = this.counts;
    counts.length = 0;
    for (const c of this.touched) {
      counts.push(this.ascii[c] ?? 0);
      this.ascii[c] = 0;
    }
    this.touched.length = 0;
    if (this.other.size > 0) {
      for (const k of this.other.values()) counts.push(k);
      this.other.clear();
    }
    counts.sort(descending);
    this.bins.fill(0);
    let bin = 0;
    for (let rank = 0; rank < counts.length; rank++) {
      while (rank >= (BIN_ENDS[bin] ?? Infinity)) bin++;
      this.bins[bin] = (this.bins[bin] ?? 0) + (counts[rank] ?? 0);
    }
  }
}

function descending(a: number, b: number): number {
  return b - a;
}
