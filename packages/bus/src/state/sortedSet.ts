// The memory store's sorted set: members ordered by score, then by member in UTF-8 byte order
// (Redis's order for equal scores), in two parallel sorted arrays. Scores are event times, so the
// usual add is an append; trimming and capping remove from the front, which only moves where the
// set starts (the arrays are compacted once most of them lies before it): a full set that drops its
// oldest member on every add would otherwise move the whole array each time.
import type { ScoredMember } from '@sidetap/core';

/** Rough bytes per member beside its characters: two array slots and a map entry. */
const MEMBER_BYTES = 64;
/** Removed slots kept before the set's start until they are at least this many and half the arrays. */
const COMPACT_AFTER = 1024;

/** Compares as UTF-8 bytes would: code point order, where UTF-16 puts astral characters too early. */
export function compareMembers(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

export class SortedSet {
  private scores: number[] = [];
  private members: string[] = [];
  private readonly scoreOf = new Map<string, number>();
  private memberBytes = 0;
  /** Index of the lowest member; the slots before it were removed. */
  private head = 0;

  get size(): number {
    return this.members.length - this.head;
  }

  /** Approximate bytes held. */
  get byteLength(): number {
    return this.memberBytes;
  }

  /** Adds or moves a member; true when it was new. */
  add(score: number, member: string): boolean {
    const old = this.scoreOf.get(member);
    if (old === score) return false;
    if (old !== undefined) this.removeAt(this.position(old, member));
    const last = this.members.length - 1;
    if (last < this.head || score > this.scores[last]! || (score === this.scores[last]! && compareMembers(member, this.members[last]!) > 0)) {
      this.scores.push(score);
      this.members.push(member);
    } else {
      const at = this.position(score, member);
      this.scores.splice(at, 0, score);
      this.members.splice(at, 0, member);
    }
    this.scoreOf.set(member, score);
    this.memberBytes += MEMBER_BYTES + 2 * member.length;
    return old === undefined;
  }

  count(from: number, to: number): number {
    return Math.max(0, this.firstAbove(to) - this.firstAtLeast(from));
  }

  range(from: number, to: number, limit: number): ScoredMember[] {
    const start = this.firstAtLeast(from);
    const end = Math.min(this.firstAbove(to), start + limit);
    const out: ScoredMember[] = [];
    for (let i = start; i < end; i++) out.push({ member: this.members[i]!, score: this.scores[i]! });
    return out;
  }

  /** Removes members with score < before; returns how many. */
  trimBefore(before: number): number {
    return this.removeFirst(this.firstAtLeast(before) - this.head);
  }

  /** Removes the `n` lowest members; returns how many. */
  removeFirst(n: number): number {
    n = Math.min(n, this.size);
    if (n <= 0) return 0;
    const end = this.head + n;
    for (let i = this.head; i < end; i++) {
      const member = this.members[i]!;
      this.scoreOf.delete(member);
      this.memberBytes -= MEMBER_BYTES + 2 * member.length;
      // Let the string go now, not at the next compaction.
      this.members[i] = '';
    }
    this.head = end;
    if (this.head === this.members.length) {
      this.scores = [];
      this.members = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.members.length) {
      this.scores = this.scores.slice(this.head);
      this.members = this.members.slice(this.head);
      this.head = 0;
    }
    return n;
  }

  private removeAt(i: number): void {
    const member = this.members[i]!;
    this.scores.splice(i, 1);
    this.members.splice(i, 1);
    this.scoreOf.delete(member);
    this.memberBytes -= MEMBER_BYTES + 2 * member.length;
  }

  /** Index of the first member not before (score, member). */
  private position(score: number, member: string): number {
    let low = this.head;
    let high = this.scores.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const s = this.scores[mid]!;
      if (s < score || (s === score && compareMembers(this.members[mid]!, member) < 0)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Index of the first member with score >= bound. */
  private firstAtLeast(bound: number): number {
    let low = this.head;
    let high = this.scores.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.scores[mid]! < bound) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Index of the first member with score > bound. */
  private firstAbove(bound: number): number {
    let low = this.head;
    let high = this.scores.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.scores[mid]! <= bound) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
