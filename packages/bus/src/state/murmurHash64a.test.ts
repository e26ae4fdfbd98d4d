// The 32-bit-halves hash checked against a literal BigInt transcription of Redis's C code.
import { murmurHash64A, REDIS_HLL_SEED } from './murmurHash64a';

const MASK = (1n << 64n) - 1n;
const M = 0xc6a4a7935bd1e995n;

function reference(bytes: Uint8Array, seed: number): bigint {
  const len = bytes.length;
  let h = (BigInt(seed) ^ (BigInt(len) * M)) & MASK;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(bytes[i + j]!);
    k = (k * M) & MASK;
    k ^= k >> 47n;
    k = (k * M) & MASK;
    h ^= k;
    h = (h * M) & MASK;
  }
  const rest = len & 7;
  if (rest > 0) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(bytes[blocks + j]!) << BigInt(8 * j);
    h = (h * M) & MASK;
  }
  h ^= h >> 47n;
  h = (h * M) & MASK;
  h ^= h >> 47n;
  return h;
}

function hash(bytes: Uint8Array, seed = REDIS_HLL_SEED): bigint {
  const out = new Uint32Array(2);
  murmurHash64A(bytes, bytes.length, seed, out);
  return (BigInt(out[1]!) << 32n) | BigInt(out[0]!);
}

describe('murmurHash64A', () => {
  it('matches the 64-bit reference for every length 0..40 and high bytes', () => {
    let state = 12345;
    for (let len = 0; len <= 40; len++) {
      for (let round = 0; round < 20; round++) {
        const bytes = new Uint8Array(len);
        for (let i = 0; i < len; i++) {
          state = (Math.imul(state, 1103515245) + 12345) >>> 0;
          bytes[i] = round === 0 ? 0xff : state >>> 24;
        }
        expect(hash(bytes)).toBe(reference(bytes, REDIS_HLL_SEED));
      }
    }
  });

  it('takes the seed and only the first `length` bytes', () => {
    const bytes = Buffer.from('sidetap-actor-0001');
    expect(hash(bytes, 0)).toBe(reference(bytes, 0));
    const out = new Uint32Array(2);
    murmurHash64A(Buffer.from('abcdefXXXX'), 6, REDIS_HLL_SEED, out);
    expect((BigInt(out[1]!) << 32n) | BigInt(out[0]!)).toBe(reference(Buffer.from('abcdef'), REDIS_HLL_SEED));
  });
});
