// Short codes for header names, so the cache key of a signature spells each name in two
// characters rather than in full, and the left-out test runs once per distinct name rather than
// once per header. Capture interns header names, so the lookup mostly hashes nothing.
import type { HeaderNameMatcher } from './headerNameMatcher';
import { ownString } from './ownString';

/** Names longer than this are cut; part of the id recipe (deviceId.ts). */
export const MAX_NAME_LENGTH = 64;

export interface HeaderNameEntry {
  /** False for a name the header order leaves out. */
  kept: boolean;
  /** The name as the id uses it: cut to MAX_NAME_LENGTH. */
  name: string;
  /** Whether the name was cut. */
  cut: boolean;
  /** What the cache key spells the name as; empty for a left-out name. */
  code: string;
}

// Codes are two characters in U+0080..U+00FF (one-byte strings stay one-byte), 16384 of them.
// A code is never reused for another name, so a cached key always means the same names; once
// all are given out (a flood of made-up names), further names are spelled in full after "!",
// which no code starts with, and are looked up afresh each time, as are names over MAX_NAME_LENGTH.
const CODE_BASE = 0x80;
const CODE_RADIX = 128;
export const MAX_NAME_CODES = CODE_RADIX * CODE_RADIX;

export class HeaderNameCodes {
  private readonly entries = new Map<string, HeaderNameEntry>();

  constructor(private readonly leftOut: HeaderNameMatcher) {}

  lookup(lowerName: string): HeaderNameEntry {
    const known = this.entries.get(lowerName);
    if (known !== undefined) return known;
    // Over-long names are never kept, so the table stays within MAX_NAME_CODES short names.
    if (lowerName.length > MAX_NAME_LENGTH || this.entries.size >= MAX_NAME_CODES) return this.describe(lowerName);
    const name = ownString(lowerName);
    const entry = this.describe(name);
    if (entry.kept) entry.code = codeFor(this.entries.size);
    this.entries.set(name, entry);
    return entry;
  }

  private describe(lowerName: string): HeaderNameEntry {
    if (this.leftOut.matches(lowerName)) return { kept: false, name: lowerName, cut: false, code: '' };
    const cut = lowerName.length > MAX_NAME_LENGTH;
    const name = cut ? lowerName.slice(0, MAX_NAME_LENGTH) : lowerName;
    return { kept: true, name, cut, code: `!${name.length}:${name}` };
  }
}

function codeFor(index: number): string {
  return String.fromCharCode(CODE_BASE + Math.floor(index / CODE_RADIX), CODE_BASE + (index % CODE_RADIX));
}
