// HyperLogLog distinct counter with Redis's exact parameters (p=14, MurmurHash64A, Ertl's
// estimator): the same members give the same count here and from PFCOUNT. A sketch starts sparse
// (sorted packed registers, 4 bytes per touched register) and turns dense (16 KiB) once that is
// no longer smaller, so the many small per-actor sketches stay cheap.
import type { DistinctMember } from '@sidetap/core';
import { murmurHash64A, REDIS_HLL_SEED } from './murmurHash64a';

export const HLL_P = 14;
export const HLL_REGISTERS = 1 << HLL_P;
/** Hash bits left after the register index; register values run 0..HLL_Q+1. */
const HLL_Q = 64 - HLL_P;
const INDEX_MASK = HLL_REGISTERS - 1;
/** Sparse entries before the sketch turns dense: 4 KiB of entries, a quarter of the dense form. */
const SPARSE_MAX = 1024;
/** Rough per-object overhead added to byteLength so budgets are not undercounted. */
const OBJECT_BYTES = 96;
const ALPHA_INF = 0.721347520444481703680; // 1 / (2 ln 2)

// Bound once: a global lookup per call costs ~150 ns inside a vm context (jest), ~0 in plain node.
const { clz32, round, sqrt } = Math;

// Hot-path scratch, reused so adding a member allocates nothing.
const hashOut = new Uint32Array(2);
let scratch = Buffer.allocUnsafe(1024);
const histogram = new Float64Array(HLL_Q + 2);
const unionRegisters = new Uint8Array(HLL_REGISTERS);


/** Hashes a member's bytes (strings as UTF-8, like Redis receives them) into hashOut. */
function hashMember(member: DistinctMember): void {
  if (typeof member !== 'string') return murmurHash64A(member, member.length, REDIS_HLL_SEED, hashOut);
  const n = member.length;
  // Short ASCII members (ids, IPs, paths) are copied by hand: cheaper than a native call.
  if (n <= 64) {
    let ascii = true;
    for (let i = 0; i < n; i++) {
      const c = member.charCodeAt(i);
      if (c > 0x7f) {
        ascii = false;
        break;
      }
      scratch[i] = c;
    }
    if (ascii) return murmurHash64A(scratch, n, REDIS_HLL_SEED, hashOut);
  }
  if (n * 3 > scratch.length) {
    // A huge member is encoded on its own so scratch never stays huge.
    if (n > 16 * 1024) {
      const bytes = Buffer.from(member, 'utf8');
      return murmurHash64A(bytes, bytes.length, REDIS_HLL_SEED, hashOut);
    }
    scratch = Buffer.allocUnsafe(n * 3);
  }
  murmurHash64A(scratch, scratch.write(member, 0, 'utf8'), REDIS_HLL_SEED, hashOut);
}

/** Trailing zeros of a non-zero 32-bit value. */
function ctz(x: number): number {
  return 31 - clz32(x & -x);
}

export class HyperLogLog {
  /** One register per byte once dense; undefined while sparse. */
  private dense: Uint8Array | undefined;
  /** Sparse entries `index << 6 | value`, sorted by index, in sparse[0..sparseLength). */
  private sparse = new Uint32Array(4);
  private sparseLength = 0;
  /** Last count, -1 when a register changed since (PFCOUNT caches the same way). */
  private cached = 0;
  /** Bumped whenever a register changes, so a caller can cache a union over several sketches. */
  version = 0;

  /** Adds a member; true when a register changed (PFADD's answer). */
  add(member: DistinctMember): boolean {
    hashMember(member);
    const lo = hashOut[0]!;
    const hi = hashOut[1]!;
    // Register value: position of the first 1 bit above the index bits, capped at HLL_Q + 1.
    const restLo = ((lo >>> HLL_P) | (hi << (32 - HLL_P))) >>> 0;
    const restHi = hi >>> HLL_P;
    const value = restLo !== 0 ? ctz(restLo) + 1 : restHi !== 0 ? ctz(restHi) + 33 : HLL_Q + 1;
    return this.raise(lo & INDEX_MASK, value);
  }

  /** Estimated number of distinct members added. */
  count(): number {
    if (this.cached >= 0) return this.cached;
    histogram.fill(0);
    if (this.dense) {
      for (let i = 0; i < HLL_REGISTERS; i++) histogram[this.dense[i]!]!++;
    } else {
      histogram[0] = HLL_REGISTERS - this.sparseLength;
      for (let i = 0; i < this.sparseLength; i++) histogram[this.sparse[i]! & 63]!++;
    }
    this.cached = estimateFromHistogram(histogram);
    return this.cached;
  }

  /** Raises `registers` to this sketch's registers where they are higher (union). */
  mergeInto(registers: Uint8Array): void {
    if (this.dense) {
      for (let i = 0; i < HLL_REGISTERS; i++) if (this.dense[i]! > registers[i]!) registers[i] = this.dense[i]!;
      return;
    }
    for (let i = 0; i < this.sparseLength; i++) {
      const entry = this.sparse[i]!;
      const index = entry >>> 6;
      if ((entry & 63) > registers[index]!) registers[index] = entry & 63;
    }
  }

  /** Bytes held, for memory budgets. */
  get byteLength(): number {
    return OBJECT_BYTES + (this.dense ? HLL_REGISTERS : this.sparse.byteLength);
  }

  get isDense(): boolean {
    return this.dense !== undefined;
  }

  /** Estimated size of the union of sketches (PFCOUNT over several keys). */
  static countUnion(sketches: readonly HyperLogLog[]): number {
    if (sketches.length === 0) return 0;
    if (sketches.length === 1) return sketches[0]!.count();
    unionRegisters.fill(0);
    for (const sketch of sketches) sketch.mergeInto(unionRegisters);
    histogram.fill(0);
    for (let i = 0; i < HLL_REGISTERS; i++) histogram[unionRegisters[i]!]!++;
    return estimateFromHistogram(histogram);
  }

  private raise(index: number, value: number): boolean {
    if (this.dense) {
      if (this.dense[index]! >= value) return false;
      this.dense[index] = value;
      this.cached = -1;
      this.version++;
      return true;
    }
    // Binary search for the index among sorted sparse entries.
    let low = 0;
    let high = this.sparseLength;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.sparse[mid]! >>> 6 < index) low = mid + 1;
      else high = mid;
    }
    const found = low < this.sparseLength && this.sparse[low]! >>> 6 === index;
    if (found) {
      if ((this.sparse[low]! & 63) >= value) return false;
      this.sparse[low] = (index << 6) | value;
    } else if (this.sparseLength === SPARSE_MAX) {
      this.toDense();
      this.dense![index] = value;
    } else {
      if (this.sparseLength === this.sparse.length) {
        const grown = new Uint32Array(Math.min(SPARSE_MAX, this.sparse.length * 2));
        grown.set(this.sparse);
        this.sparse = grown;
      }
      this.sparse.copyWithin(low + 1, low, this.sparseLength);
      this.sparse[low] = (index << 6) | value;
      this.sparseLength++;
    }
    this.cached = -1;
    this.version++;
    return true;
  }

  private toDense(): void {
    const dense = new Uint8Array(HLL_REGISTERS);
    this.mergeInto(dense);
    this.dense = dense;
    this.sparse = new Uint32Array(0);
    this.sparseLength = 0;
  }
}

/**
 * Ertl's estimator ("New cardinality estimation algorithms for HyperLogLog sketches", 2017), as
 * Redis computes it: tau corrects the top of the range and sigma the bottom (where it plays the part
 * of linear counting, without a switch-over point or bias tables).
 */
function estimateFromHistogram(h: Float64Array): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - h[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; j--) {
    z += h[j]!;
    z *= 0.5;
  }
  z += m * sigma(h[0]! / m);
  return round((ALPHA_INF * m * m) / z);
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let previous: number;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let previous: number;
  do {
    x = sqrt(x);
    previous = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (previous !== z);
  return z / 3;
}
