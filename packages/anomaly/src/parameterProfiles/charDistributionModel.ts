// Character distribution (Kruegel & Vigna §4.2): the "idealized character distribution" (ICD),
// the average of the values' sorted relative character frequencies, kept in the paper's six bins
// and compared with a chi-square test. Two changes keep it quiet on real values: one ICD per
// length band (a 6-character value cannot use 16 distinct characters, a 300-character comment
// always does), and bins with tiny expected counts are merged into their neighbour, the usual
// guard against the test exploding on nearly empty cells; a value counts as at most 64 draws.
import { chiSquareUpperTail } from './chiSquare';
import type { ValueFeatures } from './valueFeatures';
import { BIN_COUNT } from './valueFeatures';

/** Length bands 1, 2-3, 4-7, ..., 64-127, 128+: powers of two, as character variety grows with log length. */
export const LENGTH_BANDS = 8;
/** A band is a reference once it has this many values. */
const MIN_BAND_SAMPLES = 10;
/**
 * The test treats a value as this many draws at most: real values vary more than draws from one
 * distribution would, so the full length of a long value would make every small difference count.
 */
const MAX_DRAWS = 64;
/** Smallest expected count of a cell; smaller bins are merged toward the most frequent one. */
const MIN_EXPECTED = 5;

export interface CharsVerdict {
  p: number;
  chiSquare: number;
  /** Share of the value taken by its most frequent character, and the learned share. */
  topShare: number;
  expectedTopShare: number;
}

const NORMAL: CharsVerdict = { p: 1, chiSquare: 0, topShare: 0, expectedTopShare: 0 };

export function lengthBand(length: number): number {
  return Math.min(LENGTH_BANDS - 1, 31 - Math.clz32(length));
}

/** The lengths a band holds, as in summaries: `1`, `2-3`, ..., `128+`. */
export function bandLabel(band: number): string {
  const low = 1 << band;
  if (band === LENGTH_BANDS - 1) return `${low}+`;
  return band === 0 ? '1' : `${low}-${2 * low - 1}`;
}

export class CharDistributionModel {
  /** Values learned per length band. */
  readonly samples: number[];
  /** Per band, the mean share of each bin: the binned ICD. */
  readonly icd: number[][];

  constructor(samples?: readonly number[], icd?: readonly (readonly number[])[]) {
    this.samples = samples === undefined ? new Array<number>(LENGTH_BANDS).fill(0) : [...samples];
    this.icd = Array.from({ length: LENGTH_BANDS }, (_, b) => (icd?.[b] === undefined ? new Array<number>(BIN_COUNT).fill(0) : [...icd[b]]));
  }

  learn(f: ValueFeatures): void {
    const n = f.analysed;
    if (n === 0) return;
    const band = lengthBand(n);
    const count = (this.samples[band] ?? 0) + 1;
    this.samples[band] = count;
    const icd = this.icd[band];
    if (icd === undefined) return;
    // Running mean: exported as is, so a reloaded model scores bit for bit the same.
    for (let i = 0; i < BIN_COUNT; i++) icd[i] = (icd[i] ?? 0) + ((f.bins[i] ?? 0) / n - (icd[i] ?? 0)) / count;
  }

  judge(f: ValueFeatures): CharsVerdict {
    const n = f.analysed;
    if (n === 0) return NORMAL;
    const icd = this.icd[this.referenceBand(lengthBand(n))];
    if (icd === undefined) return NORMAL;
    const draws = Math.min(n, MAX_DRAWS);
    // Cells built from the rarest bin up, merged until each expects MIN_EXPECTED characters.
    let chi = 0;
    let cells = 0;
    let observed = 0;
    let expected = 0;
    for (let i = BIN_COUNT - 1; i >= 0; i--) {
      observed += ((f.bins[i] ?? 0) / n) * draws;
      expected += (icd[i] ?? 0) * draws;
      if (expected >= MIN_EXPECTED || i === 0) {
        if (expected > 0) {
          chi += ((observed - expected) * (observed - expected)) / expected;
          cells++;
        }
        observed = 0;
        expected = 0;
      }
    }
    if (cells < 2) return NORMAL;
    return { p: chiSquareUpperTail(chi, cells - 1), chiSquare: chi, topShare: (f.bins[0] ?? 0) / n, expectedTopShare: icd[0] ?? 0 };
  }

  /**
   * The value's own band when trained. A value longer than every trained band (the overflow the
   * paper aims at) is held against the longest one; otherwise an untrained band gives no verdict,
   * since the distribution of a different length is no reference (short client names against
   * long browser user agents).
   */
  private referenceBand(band: number): number {
    if ((this.samples[band] ?? 0) >= MIN_BAND_SAMPLES) return band;
    for (let b = LENGTH_BANDS - 1; b >= 0; b--) {
      if ((this.samples[b] ?? 0) >= MIN_BAND_SAMPLES) return b < band ? b : -1;
    }
    return -1;
  }
}
