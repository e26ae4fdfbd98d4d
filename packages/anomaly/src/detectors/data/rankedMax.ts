// The largest learned maxima of a few members (timelines), each forgetting with a half-life, so a
// cohort's bar can be the k-th busiest member's rather than whatever its single oddest member did.
// Every member fades at the same rate, so their order never changes as time passes; only the k
// largest are kept.
import { decayedValue, offerMax } from './decayedMax';
import type { DecayedMax } from './decayedMax';

export interface RankedEntry extends DecayedMax {
  member: string;
}

/** Offers a member's sample; true when the kept entries changed (the caller stores them then). */
export function offerRanked(entries: RankedEntry[], member: string, x: number, t: number, k: number, halfLifeMs: number): boolean {
  if (!(x > 0)) return false;
  const mine = entries.find((e) => e.member === member);
  if (mine !== undefined) {
    if (!offerMax(mine, x, t, halfLifeMs)) return false;
  } else {
    if (entries.length >= k && x <= decayedValue(entries[entries.length - 1]!, t, halfLifeMs)) return false;
    entries.push({ member, value: x, at: t });
  }
  entries.sort((a, b) => decayedValue(b, t, halfLifeMs) - decayedValue(a, t, halfLifeMs) || (a.member < b.member ? -1 : 1));
  if (entries.length > k) entries.length = k;
  return true;
}

/** The k-th largest as it stands at `t` (the smallest kept while fewer members are known); 0 when none. */
export function rankedValue(entries: readonly RankedEntry[], t: number, k: number, halfLifeMs: number): number {
  const e = entries[Math.min(k, entries.length) - 1];
  return e === undefined ? 0 : decayedValue(e, t, halfLifeMs);
}
