/** Builds the match the detector reports, with the evidence fragment bounded. */

import type { XssMatch } from './xssDetector';

export const MAX_FRAGMENT = 120;

export function makeMatch(
  s: string,
  start: number,
  end: number,
  fingerprint: string,
  confidence: number,
  reason: string,
): XssMatch {
  const from = Math.max(0, start);
  const to = Math.min(s.length, Math.max(end, from + 1), from + MAX_FRAGMENT);
  return { fingerprint, fragment: s.slice(from, to), confidence, reason };
}
