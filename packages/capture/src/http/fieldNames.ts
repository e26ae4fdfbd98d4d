// Lower-case field names interned across messages: the same few names recur in every head, so
// each is lower-cased (and allocated) once rather than once per field line.

/** Slots of the intern table (a power of two); a name whose slot is taken replaces the one there. */
const SLOTS = 1024;
/** Longer names are lower-cased afresh each time. */
const MAX_INTERNED_LENGTH = 64;

const table: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);

/** Step of the hash parseHead computes over a name's bytes, lower-cased, while checking them. */
export function nameHashStep(hash: number, c: number): number {
  return (Math.imul(hash, 31) + (c | 0x20)) | 0;
}

/**
 * The lower-case form of s[start, end), a field name (tchar bytes only, so ASCII); `hash` is
 * nameHashStep folded over its bytes.
 */
export function lowerCaseName(s: string, start: number, end: number, hash: number): string {
  const len = end - start;
  if (len > MAX_INTERNED_LENGTH) return s.slice(start, end).toLowerCase();
  const slot = hash & (SLOTS - 1);
  const known = table[slot];
  if (known !== undefined && known.length === len) {
    let k = 0;
    while (k < len) {
      let c = s.charCodeAt(start + k);
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      if (c !== known.charCodeAt(k)) break;
      k++;
    }
    if (k === len) return known;
  }
  const name = s.slice(start, end).toLowerCase();
  table[slot] = name;
  return name;
}
