// What every request-threat engine answers for one decoded value: the construct it recognised,
// the part of the value that shows it, and how sure it is. Engines are pure and synchronous.

export interface ThreatMatch {
  /** Short stable description of the construct, such as `s&1c` or `tag:svg+handler:onload`. */
  fingerprint: string;
  /** The part of the value that matched, at most ~120 characters. */
  fragment: string;
  /** In (0, 1]: how sure the engine is that this is an attack rather than an odd value. */
  confidence: number;
  /** Short human reason, such as "event handler onerror on <img>". */
  reason: string;
}

/** An engine: one decoded value in, a match or undefined out. */
export type ValueEngine = (value: string) => ThreatMatch | undefined;
