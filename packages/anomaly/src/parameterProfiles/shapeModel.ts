// Structural inference, simplified (Kruegel & Vigna §4.3): instead of a Markov grammar, a
// parameter learns which character features (classes and each punctuation mark) and which
// formats (integer, uuid, email, date, ...) its values show. A value with a feature never seen,
// or missing a format (nearly) every value had, deviates.
import { CLASS_COUNT, FEATURE_COUNT, featureName } from './charClasses';
import type { ValueFeatures } from './valueFeatures';
import { FORMAT_NAMES, FORMAT_PHRASES } from './valueFormats';

export interface ShapeVerdict {
  p: number;
  /** Clause for the reason sentence, such as "contains ''' and '=', which none of its 400 learned values did". */
  why: string;
}

const NORMAL: ShapeVerdict = { p: 1, why: '' };

export class ShapeModel {
  /** Values that showed feature i (classes first, then PUNCTUATION). */
  readonly featureCounts: number[];
  /** Values that matched FORMAT_NAMES[i]. */
  readonly formatCounts: number[];
  // Unions of what was seen, so the common case (nothing new) is two mask tests.
  private seenClasses = 0;
  private seenPunct = 0;
  private seenFormats = 0;

  constructor(featureCounts?: readonly number[], formatCounts?: readonly number[]) {
    this.featureCounts = featureCounts === undefined ? new Array<number>(FEATURE_COUNT).fill(0) : [...featureCounts];
    this.formatCounts = formatCounts === undefined ? new Array<number>(FORMAT_NAMES.length).fill(0) : [...formatCounts];
    for (let i = 0; i < FEATURE_COUNT; i++) {
      if ((this.featureCounts[i] ?? 0) === 0) continue;
      if (i < CLASS_COUNT) this.seenClasses |= 1 << i;
      else this.seenPunct |= 1 << (i - CLASS_COUNT);
    }
    for (let i = 0; i < FORMAT_NAMES.length; i++) if ((this.formatCounts[i] ?? 0) > 0) this.seenFormats |= 1 << i;
  }

  learn(f: ValueFeatures): void {
    this.seenClasses |= f.classes;
    this.seenPunct |= f.punct;
    this.seenFormats |= f.formats;
    // Plain loops, not forEachBit: this runs for every learned value.
    const features = this.featureCounts;
    for (let m = f.classes, i = 0; m !== 0; m >>>= 1, i++) if (m & 1) features[i] = (features[i] ?? 0) + 1;
    for (let m = f.punct, i = CLASS_COUNT; m !== 0; m >>>= 1, i++) if (m & 1) features[i] = (features[i] ?? 0) + 1;
    const formats = this.formatCounts;
    for (let m = f.formats, i = 0; m !== 0; m >>>= 1, i++) if (m & 1) formats[i] = (formats[i] ?? 0) + 1;
  }

  /** `learned`: values trained on. The smaller p of the novelty and the format test. */
  judge(f: ValueFeatures, learned: number): ShapeVerdict {
    const novelClasses = f.classes & ~this.seenClasses;
    const novelPunct = f.punct & ~this.seenPunct;
    const missedFormats = this.seenFormats & ~f.formats;
    if (novelClasses === 0 && novelPunct === 0 && missedFormats === 0) return NORMAL;
    let verdict = NORMAL;
    if (novelClasses !== 0 || novelPunct !== 0) {
      // Good–Turing: features seen in exactly one value estimate how often something new turns up.
      let singletons = 0;
      for (const k of this.featureCounts) if (k === 1) singletons++;
      const novel: string[] = [];
      forEachBit(novelClasses, (i) => novel.push(featureName(i)));
      forEachBit(novelPunct, (i) => novel.push(featureName(CLASS_COUNT + i)));
      verdict = { p: (singletons + 1) / (learned + 1), why: `contains ${listOf(novel)}, which none of its ${learned} learned values did` };
    }
    let worstFormat = -1;
    let worstP = 1;
    forEachBit(missedFormats, (i) => {
      const p = (learned - (this.formatCounts[i] ?? 0) + 1) / (learned + 1);
      if (p < worstP) {
        worstP = p;
        worstFormat = i;
      }
    });
    if (worstFormat >= 0 && worstP < verdict.p) {
      const matched = this.formatCounts[worstFormat] ?? 0;
      const share = matched === learned ? `all ${learned}` : `${matched} of ${learned}`;
      const format = FORMAT_NAMES[worstFormat];
      verdict = { p: worstP, why: `is not ${format === undefined ? 'its usual format' : FORMAT_PHRASES[format]}, which ${share} learned values were` };
    }
    return verdict;
  }

  /** Formats every learned value matched, most specific first: the parameter's shape in a word. */
  describe(learned: number): string {
    const always = FORMAT_NAMES.filter((_, i) => learned > 0 && this.formatCounts[i] === learned);
    const features: string[] = [];
    for (let i = 0; i < FEATURE_COUNT; i++) if ((this.featureCounts[i] ?? 0) > 0) features.push(featureName(i));
    const shape = always.length > 0 ? always.join(', ') : 'mixed';
    return `${shape}; characters: ${features.join(', ') || 'none'}`;
  }
}

function forEachBit(mask: number, fn: (i: number) => void): void {
  for (let m = mask, i = 0; m !== 0; m >>>= 1, i++) if (m & 1) fn(i);
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}
