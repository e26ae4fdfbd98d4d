// Which record ids were seen already, in a few dozen bytes per id: replaying a capture again into
// the same store writes the same findings and sessions (same ids) again, and the report counts
// each once. Ids are held as 53-bit hashes, not strings; that two of a million ids share a hash has a
// chance of about 1 in 20,000, and then one record goes uncounted.

export class SeenIds {
  private readonly hashes = new Set<number>();

  /** True the first time `id` is offered, false for every repeat. */
  firstTime(id: string): boolean {
    const h = hash53(id);
    if (this.hashes.has(h)) return false;
    this.hashes.add(h);
    return true;
  }

  get size(): number {
    return this.hashes.size;
  }
}

/** cyrb53: two multiplicative 32-bit hashes of the string, mixed, 21 bits of one above 32 of the other. */
function hash53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 0x1_0000_0000 * (0x1fffff & h2) + (h1 >>> 0);
}
