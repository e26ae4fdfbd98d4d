// The request-threat engines, listed explicitly: each with the rule category it reports, the part
// locations it reads, its OWASP API Top 10 and MITRE ATT&CK mapping, and how its fingerprints
// group into rule families (`sqli.union`): the family is the rule id feedback suppresses.
// Adding an engine is one line here.
import type { OwaspApiId, RuleCategory } from '@sidetap/core';
import type { PartLocation } from './requestPart';
import { detectCommandInjection } from './commandInjection/commandInjectionDetector';
import { detectJndiInjection } from './jndiInjection/jndiInjectionDetector';
import { detectNosqlInjection } from './nosqlInjection/nosqlInjectionDetector';
import { detectPathTraversal } from './pathTraversal/pathTraversalDetector';
import { detectSqli } from './sqli/sqliDetector';
import { detectSsrf } from './ssrf/ssrfDetector';
import { detectTemplateInjection } from './templateInjection/templateInjectionDetector';
import type { ThreatMatch, ValueEngine } from './threatMatch';
import { detectXss } from './xss/xssDetector';
import { detectXxe } from './xxe/xxeDetector';

export interface ThreatEngine {
  category: RuleCategory;
  engine: ValueEngine;
  /** What it finds, for rule names and messages ("SQL injection"). */
  title: string;
  /** Part locations it reads; every location when left out. */
  locations?: readonly PartLocation[];
  /** Whole documents (the path, an XML body): `also` besides single values, `only` instead of them; never when left out. */
  documents?: 'also' | 'only';
  owasp: OwaspApiId;
  techniques: readonly string[];
  /** The rule family of a match (`union`, `tag`); by default the fingerprint's leading word. */
  family?: (m: ThreatMatch) => string;
}

/** T1190 Exploit Public-Facing Application: every request threat is one. */
const EXPLOIT = ['T1190'] as const;

export const THREAT_ENGINES: readonly ThreatEngine[] = [
  { category: 'sqli', title: 'SQL injection', engine: detectSqli, owasp: 'API8:2023', techniques: EXPLOIT, family: sqliFamily },
  { category: 'xss', title: 'Cross-site scripting', engine: detectXss, owasp: 'API8:2023', techniques: EXPLOIT, family: xssFamily },
  // The whole path too: a climb can span segments the split path shows one at a time.
  { category: 'path_traversal', title: 'Path traversal', engine: detectPathTraversal, documents: 'also', owasp: 'API8:2023', techniques: EXPLOIT },
  { category: 'command_injection', title: 'Command injection', engine: detectCommandInjection, owasp: 'API8:2023', techniques: [...EXPLOIT, 'T1059'] },
  // Where an API takes a URL to fetch; Referer, Origin and the like name the client's own pages, often internal ones.
  { category: 'ssrf', title: 'Server-side request forgery', engine: detectSsrf, locations: ['query', 'form', 'multipart', 'json', 'xml'], owasp: 'API7:2023', techniques: EXPLOIT },
  { category: 'nosql_injection', title: 'NoSQL injection', engine: detectNosqlInjection, locations: ['query', 'form', 'multipart', 'json'], owasp: 'API8:2023', techniques: EXPLOIT },
  { category: 'template_injection', title: 'Server-side template injection', engine: detectTemplateInjection, owasp: 'API8:2023', techniques: EXPLOIT },
  // Log4Shell travels in any logged header (User-Agent, X-Api-Version), so every location.
  { category: 'jndi_injection', title: 'JNDI injection', engine: detectJndiInjection, owasp: 'API8:2023', techniques: EXPLOIT },
  { category: 'xxe', title: 'XML external entity', engine: detectXxe, documents: 'also', owasp: 'API8:2023', techniques: EXPLOIT },
];

/** The leading word of a fingerprint (`tag:svg+handler:onload` → `tag`), for engines that name none. */
export function defaultFamily(m: ThreatMatch): string {
  const end = m.fingerprint.search(/[^a-z0-9_-]/i);
  const word = (end < 0 ? m.fingerprint : m.fingerprint.slice(0, end)).toLowerCase();
  return word === '' ? 'match' : word;
}

/** SQL injection families by technique, read from the reason detectSqli gives (its fingerprints are token strings). */
const SQLI_TECHNIQUES: readonly [string, string][] = [
  ['UNION SELECT', 'union'],
  ['second statement', 'stacked'],
  ['time-delay', 'time'],
  ['error-forcing', 'error'],
  ['reaching files', 'exec'],
  ['boolean condition', 'boolean'],
  ['boolean test', 'boolean'],
  ['sub-query', 'concat'],
  ['comment cuts', 'truncation'],
  ['column number', 'column_probe'],
  ['whole SQL query', 'raw_query'],
  ['server fact', 'info'],
];

function sqliFamily(m: ThreatMatch): string {
  for (const [phrase, family] of SQLI_TECHNIQUES) if (m.reason.includes(phrase)) return family;
  return 'injection';
}

/** Cross-site scripting families: script elements, event handlers, script URLs, other markup, template expressions. */
function xssFamily(m: ThreatMatch): string {
  const f = m.fingerprint;
  if (f.includes('handler:')) return 'handler';
  if (f.includes('scheme:')) return 'scheme';
  if (f.includes('tag:script') || f.includes('endtag:script')) return 'script';
  if (f.includes('css:')) return 'css';
  if (f.startsWith('js-string')) return 'js_breakout';
  if (f.includes('binding:') || f.includes('template') || f.includes('constructor')) return 'template';
  if (f.includes('tag:') || f.includes('srcdoc') || f.includes('clobber:')) return 'markup';
  return defaultFamily(m);
}
