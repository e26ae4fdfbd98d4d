// Anomaly scoring in the manner of the OWASP Core Rule Set: each match adds points by how sure
// its engine is (CRS's critical 5, error 4, warning 3, notice 2), evasion adds to them, and a
// request is reported once its total reaches the threshold of its paranoia level. Several weak
// matches add up; one weak match alone can stay below the threshold.

/** Points of one match: 5 for a near-certain match down to 1 for a faint one. */
export function matchPoints(confidence: number): number {
  if (confidence >= 0.85) return 5;
  if (confidence >= 0.65) return 4;
  if (confidence >= 0.5) return 3;
  if (confidence >= 0.3) return 2;
  return 1;
}

/** Severity (1-4) of a request from its total score. */
export function severityOf(total: number): 1 | 2 | 3 | 4 {
  if (total >= 12) return 4;
  if (total >= 5) return 3;
  if (total >= 3) return 2;
  return 1;
}

/** Confidence of several matches together: each one alone could be wrong, all of them rarely are. */
export function combinedConfidence(confidences: readonly number[]): number {
  let miss = 1;
  for (const c of confidences) miss *= 1 - Math.min(1, Math.max(0, c));
  return Math.round(Math.min(0.99, 1 - miss) * 100) / 100;
}
