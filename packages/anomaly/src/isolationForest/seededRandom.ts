// Seeded random source for model training: xoshiro128** (Blackman & Vigna 2018), its 128-bit state
// expanded from a 32-bit seed with splitmix32, so one seed gives one sequence on every platform.
// Chosen over mulberry32 for its 2^128 − 1 period and clean BigCrush record at the same cost.
const { imul } = Math;

const UINT32_MAX = 0xffffffff;
const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed` is an integer from 0 to 4294967295; the same seed always gives the same sequence. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > UINT32_MAX) {
      throw new RangeError(`seed must be an integer from 0 to ${UINT32_MAX}, not ${String(seed)}.`);
    }
    // splitmix32 is a bijection of its counter, so the four words differ and the state is never
    // the all-zero state xoshiro cannot leave.
    let counter = seed | 0;
    const splitmix32 = (): number => {
      counter = (counter + 0x9e3779b9) | 0;
      let z = counter;
      z = imul(z ^ (z >>> 16), 0x85ebca6b);
      z = imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.s0 = splitmix32();
    this.s1 = splitmix32();
    this.s2 = splitmix32();
    this.s3 = splitmix32();
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const m = imul(s1, 5);
    const result = imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** A float in [0, 1) with all 53 mantissa bits random (two draws). */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * TWO_POW_26 + low) / TWO_POW_53;
  }

  /** An integer in [0, n) for a positive integer n; the bias is below n / 2^53, far under any use here. */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }
}
