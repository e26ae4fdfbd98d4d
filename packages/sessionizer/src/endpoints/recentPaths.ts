// Admission filter of the path cache (a TinyLFU-style doorkeeper): a path is cached on its
// second miss, so paths seen once (ids make most raw paths unique) neither churn the cache
// nor burden the garbage collector with entries that die middle-aged. A two-hash bitmap,
// cleared every `window` paths so it forgets; a false positive only admits a path early.

export class RecentPaths {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  private recorded = 0;

  /** About `window` paths are remembered; 8 bits each keeps false positives near 5%. */
  constructor(private readonly window: number) {
    const bitCount = 2 ** Math.ceil(Math.log2(Math.max(1024, window * 8)));
    this.bits = new Uint32Array(bitCount / 32);
    this.mask = bitCount - 1;
  }

  /** Whether `path` was recorded in this window; records it either way. */
  seenBefore(path: string): boolean {
    let h = 0x811c9dc5;
    for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
    const a = (h >>> 0) & this.mask;
    const b = (Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0) & this.mask;
    const wa = this.bits[a >>> 5] ?? 0;
    const wb = this.bits[b >>> 5] ?? 0;
    const seen = (wa & (1 << (a & 31))) !== 0 && (wb & (1 << (b & 31))) !== 0;
    if (!seen) {
      if (++this.recorded > this.window) {
        this.bits.fill(0);
        this.recorded = 1;
      }
      this.bits[a >>> 5] = (this.bits[a >>> 5] ?? 0) | (1 << (a & 31));
      this.bits[b >>> 5] = (this.bits[b >>> 5] ?? 0) | (1 << (b & 31));
    }
    return seen;
  }
}
