// The findings part of the replay summary: counts by category, then the most severe findings in one
// line each. Holds a bounded sample; every finding is in findings.ndjson in the store.
import type { Finding } from '@sidetap/core';

const SHOWN = 20;
/** Findings kept for the summary and `replay --json`; the rest are counted. */
const KEPT = 1000;
const SEVERITY = ['', 'low', 'medium', 'high', 'critical'];

export class FindingsSummary {
  readonly kept: Finding[] = [];
  total = 0;
  private readonly byCategory = new Map<string, number>();

  add(f: Finding): void {
    this.total++;
    this.byCategory.set(f.rule.category, (this.byCategory.get(f.rule.category) ?? 0) + 1);
    if (this.kept.length < KEPT) this.kept.push(f);
  }

  text(): string {
    if (this.total === 0) return 'findings: none\n';
    const lines = [`findings: ${this.total} (${[...this.byCategory].map(([c, n]) => `${c} ${n}`).join(', ')})`];
    const sorted = [...this.kept].sort((a, b) => b.event.severity - a.event.severity || (a['@timestamp'] < b['@timestamp'] ? -1 : 1));
    for (const f of sorted.slice(0, SHOWN)) lines.push(`  [${SEVERITY[f.event.severity]}] ${f.sidetap.evidence.window.start} ${f.rule.id}: ${f.message}`);
    if (this.total > SHOWN) lines.push(`  ... ${this.total - SHOWN} more (findings.ndjson in the store)`);
    return lines.join('\n') + '\n';
  }
}
