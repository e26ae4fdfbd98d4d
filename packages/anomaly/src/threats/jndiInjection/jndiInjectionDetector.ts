/**
 * Log4Shell-style JNDI lookup injection (CVE-2021-44228 and kin) for one decoded request value.
 *
 * Instead of matching spellings of `${jndi:`, the value's lookups are evaluated as Log4j would
 * (lookupEvaluator.ts): `${${lower:j}ndi:...}`, `${${::-j}${::-n}${::-d}${::-i}:...}`,
 * `${${env:X:-j}ndi...}`, `${date:'j'}` and escapes all resolve to a `jndi` lookup, whose target
 * scheme (ldap, rmi, dns, iiop...) is then judged. Leftover percent-encoding (`%24%7Bjndi`) is
 * undone first. Values with neither `$` nor `{` (nor a percent-encoded one) leave after one scan.
 *
 * Weaker signals, reported low for upstream scoring: Log4j-only lookups without jndi
 * (`${lower:x}`, `${::-x}`, `${java:version}` used for fingerprinting or exfiltration through DNS)
 * and a `jndi:<scheme>://` with no lookup around it. `${env:X}` and `${sys:x}` alone are not
 * reported: other template systems (Serverless, Spring) use that syntax in honest values.
 */

import { evaluateLookups, type JndiHit } from './lookupEvaluator';
import type { ThreatMatch } from '../threatMatch';

const MAX_JUDGED = 4096;
const MAX_FRAGMENT = 120;

const KNOWN_SCHEMES = new Set(['ldap', 'ldaps', 'rmi', 'dns', 'iiop', 'corba', 'nds', 'nis', 'http', 'https', 'iiopname', 'corbaname']);

export function detectJndiInjection(value: string): ThreatMatch | undefined {
  const len = Math.min(value.length, MAX_JUDGED);
  let dollar = -1;
  let brace = false;
  let pct = false;
  let j = false; // the letters jndi appear
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x24) {
      if (dollar < 0) dollar = i;
    } else if (c === 0x7b) brace = true;
    else if (c === 0x25) pct = true;
    else if ((c | 0x20) === 0x6a && (value.charCodeAt(i + 1) | 0x20) === 0x6e && (value.charCodeAt(i + 2) | 0x20) === 0x64 && (value.charCodeAt(i + 3) | 0x20) === 0x69) j = true;
  }
  if (!(dollar >= 0 && brace) && !pct && !j) return undefined;
  let s = len < value.length ? value.slice(0, len) : value;
  if (pct) {
    const decoded = percentDecode(s);
    if (decoded !== s) s = decoded;
  }
  // A bare jndi:ldap:// without a lookup: weak, a log line or a broken payload.
  let at = s.indexOf('${');
  if (at < 0) return j ? judgeBareJndi(s) : undefined;
  if (at > 0 && s.charCodeAt(at - 1) === 0x24) at--; // keep a `$${` escape whole
  const { evaluation } = evaluateLookups(s.slice(at));
  const fragment = s.slice(at, at + MAX_FRAGMENT);
  if (evaluation.jndi !== undefined) return judgeHit(evaluation.jndi, evaluation.nested, fragment, s !== value);
  if (evaluation.log4jLookups > 0) {
    return {
      fingerprint: evaluation.nested ? 'jndi:lookup+nested' : 'jndi:lookup',
      fragment,
      confidence: evaluation.nested ? 0.55 : 0.4,
      reason: 'uses Log4j lookup syntax (${lower:}, ${::-}, ${java:}...) without a JNDI lookup, a probe or data leak through logs',
    };
  }
  return j ? judgeBareJndi(s) : undefined;
}

function judgeHit(hit: JndiHit, nested: boolean, fragment: string, encoded: boolean): ThreatMatch {
  const target = hit.target.trim();
  const colon = target.indexOf(':');
  const scheme = colon > 0 ? target.slice(0, colon).toLowerCase() : '';
  const known = KNOWN_SCHEMES.has(scheme);
  let confidence = known ? 0.98 : 0.85;
  if (hit.unterminated) confidence -= 0.1;
  const obfuscated = hit.obfuscated || nested;
  const tags = `${obfuscated ? '+obfuscated' : ''}${encoded ? '+encoded' : ''}`;
  const host = known ? target.slice(colon + 1).replace(/^\/+/, '').split(/[/:?]/)[0] ?? '' : '';
  return {
    fingerprint: `jndi:${known ? scheme : 'other'}${tags}`,
    fragment,
    confidence: Math.round(confidence * 100) / 100,
    reason: `JNDI lookup${scheme ? ` over ${scheme}` : ''}${host ? ` to ${host.slice(0, 60)}` : ''}${obfuscated ? ', spelled through nested lookups' : ''}`,
  };
}

function judgeBareJndi(s: string): ThreatMatch | undefined {
  const lower = s.toLowerCase();
  const at = lower.indexOf('jndi:');
  if (at < 0) return undefined;
  const m = /^jndi:([a-z]+):\/\//.exec(lower.slice(at));
  if (m === null || !KNOWN_SCHEMES.has(m[1]!)) return undefined;
  // `{jndi:ldap://...}` with a broken or stripped `$` still shows intent.
  const braced = at > 0 && lower.charCodeAt(at - 1) === 0x7b;
  return {
    fingerprint: braced ? 'jndi:braced' : 'jndi:bare',
    fragment: s.slice(Math.max(0, at - 2), at + MAX_FRAGMENT - 2),
    confidence: braced ? 0.6 : 0.4,
    reason: `a jndi:${m[1]}:// reference without the \${...} around it`,
  };
}

/** Undoes percent-escapes left after the upstream decoder (%24%7B, %2524%257B), at most twice. */
function percentDecode(s: string): string {
  let out = s;
  for (let round = 0; round < 2 && out.indexOf('%') >= 0; round++) {
    const next = out.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    if (next === out) break;
    out = next;
  }
  return out;
}
