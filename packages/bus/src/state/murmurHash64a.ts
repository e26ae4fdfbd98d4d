// MurmurHash64A, the hash Redis feeds its HyperLogLog, in 32-bit halves: the same member gives the
// same register in the memory sketch and in PFADD, so both stores count alike (and it is several
// times faster than any node:crypto digest for short members).

// Bound once: a global lookup per call costs ~150 ns inside a vm context (jest), ~0 in plain node.
const imul = Math.imul;

// m = 0xc6a4a7935bd1e995 as 32-bit halves, and 16-bit quarters of the low half.
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const M_LO0 = M_LO & 0xffff;
const M_LO1 = M_LO >>> 16;

/** The seed Redis's hyperloglog.c passes. */
export const REDIS_HLL_SEED = 0xadc83b19;

/**
 * High 32 bits of (hi, lo) * m mod 2^64; the low 32 bits are imul(lo, M_LO). Integer
 * operations only, returned rather than stored so V8 keeps every value unboxed.
 */
function mulHigh(hi: number, lo: number): number {
  const a0 = lo & 0xffff;
  const a1 = lo >>> 16;
  // High half of the 32x32 low product from 16-bit pieces (each below 2^32).
  const p01 = a0 * M_LO1;
  const p10 = a1 * M_LO0;
  const carry = (((a0 * M_LO0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff)) >>> 16;
  return (a1 * M_LO1 + (p01 >>> 16) + (p10 >>> 16) + carry + imul(lo, M_HI) + imul(hi, M_LO)) >>> 0;
}

/**
 * Hashes bytes[0..length) into out[0] (low 32 bits) and out[1] (high 32 bits), reading 8-byte
 * blocks little-endian as Redis does on every platform.
 */
export function murmurHash64A(bytes: Uint8Array, length: number, seed: number, out: Uint32Array): void {
  // h = seed ^ (length * m)
  let hi = mulHigh(0, length);
  let lo = (imul(length, M_LO) ^ seed) >>> 0;
  const blocks = length - (length & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    let kLo = (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
    let kHi = (bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24)) >>> 0;
    // k *= m; k ^= k >> 47; k *= m
    let t = mulHigh(kHi, kLo);
    kLo = (imul(kLo, M_LO) ^ (t >>> 15)) >>> 0;
    kHi = t;
    t = mulHigh(kHi, kLo);
    kLo = imul(kLo, M_LO);
    // h ^= k; h *= m
    hi = (hi ^ t) >>> 0;
    lo = (lo ^ kLo) >>> 0;
    t = mulHigh(hi, lo);
    lo = imul(lo, M_LO) >>> 0;
    hi = t;
  }
  const rest = length & 7;
  if (rest > 0) {
    // Tail bytes XORed in at their little-endian positions (the C switch falls through).
    for (let j = rest - 1; j >= 0; j--) {
      const b = bytes[i + j]!;
      if (j >= 4) hi = (hi ^ (b << (8 * (j - 4)))) >>> 0;
      else lo = (lo ^ (b << (8 * j))) >>> 0;
    }
    const t = mulHigh(hi, lo);
    lo = imul(lo, M_LO) >>> 0;
    hi = t;
  }
  // h ^= h >> 47; h *= m; h ^= h >> 47
  lo = (lo ^ (hi >>> 15)) >>> 0;
  const t = mulHigh(hi, lo);
  out[0] = (imul(lo, M_LO) ^ (t >>> 15)) >>> 0;
  out[1] = t;
}
