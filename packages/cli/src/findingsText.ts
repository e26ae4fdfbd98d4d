// The findings part of the replay summary: counts by category, the most severe findings in one line
// each, then the riskiest incidents. Holds bounded samples; every finding is in the store, where
// `sidetap findings` lists them.
import type { Finding } from '@sidetap/core';

const SHOWN = 20;
/** Findings kept for the summary and `replay --json`; the rest are counted. */
const KEPT = 1000;
const SEVERITY = ['', 'low', 'medium', 'high', 'critical'];
const SHOWN_INCIDENTS = 5;
/** Incidents tracked for the summary; beyond it new ones are only counted. */
const KEPT_INCIDENTS = 10_000;

interface IncidentLine {
  who: string;
  risk: number;
  findings: number;
  categories: string[];
  start: string;
  end: string;
}

export class FindingsSummary {
  readonly kept: Finding[] = [];
  total = 0;
  private readonly byCategory = new Map<string, number>();
  private readonly incidents = new Map<string, IncidentLine>();
  private incidentsTotal = 0;

  add(f: Finding): void {
    this.total++;
    this.addIncident(f);
    this.byCategory.set(f.rule.category, (this.byCategory.get(f.rule.category) ?? 0) + 1);
    if (this.kept.length < KEPT) this.kept.push(f);
  }

  text(): string {
    if (this.total === 0) return 'findings: none\n';
    const lines = [`findings: ${this.total} (${[...this.byCategory].map(([c, n]) => `${c} ${n}`).join(', ')})`];
    const sorted = [...this.kept].sort((a, b) => b.event.severity - a.event.severity || (a['@timestamp'] < b['@timestamp'] ? -1 : 1));
    for (const f of sorted.slice(0, SHOWN)) lines.push(`  [${SEVERITY[f.event.severity]}] ${f.sidetap.evidence.window.start} ${f.rule.id}: ${f.message}`);
    if (this.total > SHOWN) lines.push(`  ... ${this.total - SHOWN} more (\`sidetap findings\` lists them all)`);
    if (this.incidentsTotal > 0) {
      lines.push(`incidents: ${this.incidentsTotal} (riskiest first)`);
      const riskiest = [...this.incidents.values()].sort((a, b) => b.risk - a.risk || (a.start < b.start ? -1 : 1));
      for (const i of riskiest.slice(0, SHOWN_INCIDENTS)) {
        lines.push(`  risk ${i.risk} ${i.who}: ${i.findings} finding${i.findings === 1 ? '' : 's'} (${i.categories.join(', ')}) ${i.start} to ${i.end}`);
      }
    }
    return lines.join('\n') + '\n';
  }

  private addIncident(f: Finding): void {
    const inc = f.sidetap.incident;
    if (inc === undefined) return;
    const held = this.incidents.get(inc.id);
    if (held === undefined) {
      this.incidentsTotal++;
      if (this.incidents.size >= KEPT_INCIDENTS) return;
    }
    const who = f.user?.name ?? f.user?.id ?? f.source?.ip ?? f.sidetap.actor_key ?? '-';
    this.incidents.set(inc.id, {
      who: held?.who ?? who,
      risk: Math.max(held?.risk ?? 0, inc.risk_score),
      findings: inc.findings,
      categories: inc.categories,
      start: inc.start,
      end: f['@timestamp'],
    });
  }
}
