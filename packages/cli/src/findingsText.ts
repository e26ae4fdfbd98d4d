// The findings part of the replay summary: counts by category, then each finding in one line.
import type { Finding } from '@sidetap/core';

const SHOWN = 20;
const SEVERITY = ['', 'low', 'medium', 'high', 'critical'];

export function findingsText(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'findings: none\n';
  const byCategory = new Map<string, number>();
  for (const f of findings) byCategory.set(f.rule.category, (byCategory.get(f.rule.category) ?? 0) + 1);
  const lines = [`findings: ${findings.length} (${[...byCategory].map(([c, n]) => `${c} ${n}`).join(', ')})`];
  const sorted = [...findings].sort((a, b) => b.event.severity - a.event.severity || (a['@timestamp'] < b['@timestamp'] ? -1 : 1));
  for (const f of sorted.slice(0, SHOWN)) {
    lines.push(`  [${SEVERITY[f.event.severity]}] ${f.sidetap.evidence.window.start} ${f.rule.id}: ${f.message}`);
  }
  if (findings.length > SHOWN) lines.push(`  ... ${findings.length - SHOWN} more (sidetap replay --json, or findings.ndjson in the store)`);
  return lines.join('\n') + '\n';
}
