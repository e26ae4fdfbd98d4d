// One pass over a value that yields what every value model reads: its character-class and
// punctuation masks, its sorted character frequencies in the paper's six bins, and its formats.
// A single scratch instance is reused per profile set so the hot path allocates nothing.
import { ASCII_CLASS, ASCII_PUNCT, nonAsciiClass } from './charClasses';
import { formatsOf } from './valueFormats';

/**
 * Kruegel & Vigna's bins over the sorted character frequencies: the most frequent character,
 * ranks 2-4, 5-7, 8-12, 13-16 and the rest.
 */
export const BIN_COUNT = 6;
/** First rank (0-based) past each bin. */
const BIN_ENDS = [1, 4, 7, 12, 16, 0x7fffffff] as const;

// Module-local references: some bundlers turn imported bindings into getters, one call per character.
// In the loops below, typed-array reads are `as number`: every index is in range by construction
// (a UTF-16 code unit, a count at most the value's length), and `?? 0` would cost a branch per character.
const asciiClass = ASCII_CLASS;
const asciiPunct = ASCII_PUNCT;

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

  /** Count per UTF-16 code unit: 256 KiB once, cheaper than a map for every non-ASCII character. */
  private readonly counts = new Uint32Array(0x10000);
  /** Code units of the current value with a non-zero count. */
  private touched = new Uint16Array(256);
  private touchedCount = 0;
  /** countFrequency[k]: distinct characters seen exactly k times (a counting sort of the counts). */
  private countFrequency = new Uint32Array(256);

  analyse(value: string): this {
    const n = value.length;
    if (this.countFrequency.length <= n) {
      this.countFrequency = new Uint32Array(2 * n + 1);
      this.touched = new Uint16Array(2 * n + 1);
    }
    const counts = this.counts;
    const touched = this.touched;
    let distinct = 0;
    let classes = 0;
    let punct = 0;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      const seen = counts[c] as number;
      if (seen === 0) touched[distinct++] = c;
      counts[c] = seen + 1;
      if (c < 128) {
        classes |= asciiClass[c] as number;
        punct |= asciiPunct[c] as number;
      } else {
        classes |= nonAsciiClass(c);
      }
    }
    this.touchedCount = distinct;
    this.analysed = n;
    this.classes = classes;
    this.punct = punct;
    this.fillBins();
    this.formats = formatsOf(value, classes, punct);
    return this;
  }

  private fillBins(): void {
    const frequency = this.countFrequency;
    let maxCount = 0;
    for (let t = 0; t < this.touchedCount; t++) {
      const c = this.touched[t] as number;
      const k = this.counts[c] as number;
      frequency[k] = (frequency[k] as number) + 1;
      if (k > maxCount) maxCount = k;
      this.counts[c] = 0;
    }
    this.touchedCount = 0;
    const bins = this.bins;
    bins.fill(0);
    let rank = 0;
    let bin = 0;
    // Counts from the highest down give the characters in sorted-frequency order.
    for (let k = maxCount; k > 0; k--) {
      let chars = frequency[k] as number;
      if (chars === 0) continue;
      frequency[k] = 0;
      while (chars > 0) {
        while (rank >= (BIN_ENDS[bin] as number)) bin++;
        const room = Math.min(chars, (BIN_ENDS[bin] as number) - rank);
        bins[bin] = (bins[bin] as number) + room * k;
        rank += room;
        chars -= room;
      }
    }
  }
}
