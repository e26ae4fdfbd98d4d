// What one protocol check found in one exchange, before protocol_checks turns it into a finding
// (cooldown, evidence window, actor).
import type { CaptureFlag, OwaspApiId } from '@sidetap/core';

export type ProtocolCategory = 'request_smuggling' | 'malformed_request' | 'unusual_method' | 'oversized_payload' | 'protocol_violation';

export interface ProtocolHit {
  category: ProtocolCategory;
  /** Second half of the rule id: `<category>.<reason>`. */
  reason: string;
  /** rule.name: what the rule is about, the same for every finding of the rule. */
  name: string;
  severity: 1 | 2 | 3 | 4;
  /** 0..1: how sure the check is; capture flags and hard caps are facts, learned bounds less so. */
  confidence: number;
  observed: string;
  expected: string;
  /** One sentence naming what is wrong. */
  message: string;
  /** The capture flags this hit rests on. */
  flags?: CaptureFlag[];
}

/** OWASP risk and ATT&CK techniques per category, the same for every rule in it. */
export const CATEGORY_TAXONOMY: Record<ProtocolCategory, { owasp: OwaspApiId; techniques: string[] }> = {
  // Desync between hops is a misconfiguration of the chain; the attack exploits the public app.
  request_smuggling: { owasp: 'API8:2023', techniques: ['T1190'] },
  malformed_request: { owasp: 'API8:2023', techniques: [] },
  // Methods the API never meant to serve reach handlers that skip its function-level checks.
  unusual_method: { owasp: 'API5:2023', techniques: [] },
  oversized_payload: { owasp: 'API4:2023', techniques: ['T1499'] },
  protocol_violation: { owasp: 'API8:2023', techniques: [] },
};

/** A header value or parameter shown in a message: printable and short. */
export function shown(s: string, max = 60): string {
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
}
