// A fixed-size distinct-count estimate (linear counting over a 512-bit bitmap): what a path
// position remembers of its values once its exact set is full. Deterministic, 64 bytes.

const BITS = 512;
const WORDS = BITS / 32;

export class DistinctSketch {
  readonly words: Uint32Array;

  constructor(words?: readonly number[]) {
    this.words = new Uint32Array(WORDS);
    if (words !== undefined) for (let i = 0; i < WORDS; i++) this.words[i] = (words[i] ?? 0) >>> 0;
  }

  static readonly WORDS = WORDS;

  add(value: string): void {
    const bit = hash32(value) & (BITS - 1);
    const w = bit >>> 5;
    this.words[w] = (this.words[w] ?? 0) | (1 << (bit & 31));
  }

  /** Distinct values added, estimated; Infinity once every bit is set (past ~3000 values). */
  estimate(): number {
    let zeros = 0;
    for (const word of this.words) zeros += 32 - popcount(word);
    return zeros === 0 ? Infinity : -BITS * Math.log(zeros / BITS);
  }

  toJSON(): number[] {
    return Array.from(this.words);
  }
}

/** FNV-1a with a murmur3 finaliser, so the low bits used for the bitmap are well mixed. */
function hash32(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
