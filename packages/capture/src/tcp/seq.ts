// TCP sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4): every comparison goes through the
// signed 32-bit difference so streams that wrap past 2^32 keep their order.

/** Signed distance from `b` to `a` (a - b mod 2^32, in [-2^31, 2^31)). Positive when `a` is after `b`. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** `seq + n` modulo 2^32, as an unsigned number. */
export function seqAdd(seq: number, n: number): number {
  return (seq + n) >>> 0;
}

export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
