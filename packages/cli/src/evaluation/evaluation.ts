// Scores findings against labelled incidents by the rules of the labels format: a finding
// matches an incident on category (or a related one), overlapping time (with slack) and actor;
// recall per category is detected incidents over incidents, precision is matching findings over
// scored ones, and time to detect is the first detecting finding's time after the incident starts.
import type { Finding, RuleCategory } from '@sidetap/core';
import type { Incident, Labels } from './labels';

export interface CategoryScore {
  category: RuleCategory;
  incidents: number;
  detected: number;
  findings: number;
  truePositives: number;
  recall: number;
  precision: number;
  /** Median seconds from incident start to its first detecting finding. */
  medianSecondsToDetect: number | undefined;
}

export interface Evaluation {
  categories: CategoryScore[];
  overall: { incidents: number; detected: number; findings: number; truePositives: number; recall: number; precision: number };
  missed: string[];
}

const normaliseEndpoint = (e: string): string => e.replace(/\{[^}]*\}/g, '{}').replace(/\/$/, '');

function actorMatches(f: Finding, l: Incident): boolean {
  const a = l.actor;
  return l.matchOn.some((k) => {
    if (k === 'user') {
      const name = f.user?.name;
      const id = f.user?.id;
      return (name !== undefined && (name === a.user || (a.users ?? []).includes(name))) || (id !== undefined && (id === a.userId || (a.userIds ?? []).includes(id)));
    }
    if (k === 'ip') return f.source?.ip !== undefined && (f.source.ip === a.ip || (a.ips ?? []).includes(f.source.ip));
    return f.sidetap.endpoint !== undefined && a.endpoint !== undefined && normaliseEndpoint(f.sidetap.endpoint) === normaliseEndpoint(a.endpoint);
  });
}

function overlaps(f: Finding, l: Incident, slackMs: number): boolean {
  const fs = Date.parse(f.sidetap.evidence.window.start);
  const fe = Date.parse(f.sidetap.evidence.window.end);
  return fs <= Date.parse(l.window.end) + slackMs && fe >= Date.parse(l.window.start) - slackMs;
}

export function evaluate(findings: readonly Finding[], labels: Labels): Evaluation {
  const slack = labels.matchSlackSeconds * 1000;
  const learningEnd = Date.parse(labels.learningEnd);
  const scored = findings.filter((f) => labels.categories.includes(f.rule.category) && Date.parse(f.sidetap.evidence.window.end) >= learningEnd);
  const detecting = (f: Finding, l: Incident) => f.rule.category === l.category && overlaps(f, l, slack) && actorMatches(f, l);
  const explaining = (f: Finding, l: Incident) => l.related.includes(f.rule.category) && overlaps(f, l, slack) && actorMatches(f, l);
  const categories: CategoryScore[] = labels.categories.map((category) => {
    const incidents = labels.incidents.filter((l) => l.category === category);
    const delays: number[] = [];
    let detected = 0;
    for (const l of incidents) {
      const hits = scored.filter((f) => detecting(f, l)).map((f) => Date.parse(f['@timestamp']));
      if (hits.length === 0) continue;
      detected++;
      delays.push((Math.min(...hits) - Date.parse(l.window.start)) / 1000);
    }
    const mine = scored.filter((f) => f.rule.category === category);
    const truePositives = mine.filter((f) => labels.incidents.some((l) => detecting(f, l) || explaining(f, l))).length;
    delays.sort((x, y) => x - y);
    return {
      category,
      incidents: incidents.length,
      detected,
      findings: mine.length,
      truePositives,
      recall: incidents.length === 0 ? 1 : detected / incidents.length,
      precision: mine.length === 0 ? 1 : truePositives / mine.length,
      medianSecondsToDetect: delays.length === 0 ? undefined : delays[Math.floor((delays.length - 1) / 2)],
    };
  });
  const sum = (k: 'incidents' | 'detected' | 'findings' | 'truePositives') => categories.reduce((n, c) => n + c[k], 0);
  const overall = { incidents: sum('incidents'), detected: sum('detected'), findings: sum('findings'), truePositives: sum('truePositives'), recall: 0, precision: 0 };
  overall.recall = overall.incidents === 0 ? 1 : overall.detected / overall.incidents;
  overall.precision = overall.findings === 0 ? 1 : overall.truePositives / overall.findings;
  const missed = labels.incidents.filter((l) => !scored.some((f) => detecting(f, l))).map((l) => l.id);
  return { categories, overall, missed };
}

export function evaluationText(e: Evaluation): string {
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`.padStart(5);
  const lines = ['category                 incidents detected  recall findings precision  median time to detect'];
  for (const c of e.categories) {
    lines.push(
      `${c.category.padEnd(24)} ${String(c.incidents).padStart(9)} ${String(c.detected).padStart(8)} ${pct(c.recall)}   ${String(c.findings).padStart(6)}     ${pct(c.precision)}  ${c.medianSecondsToDetect === undefined ? '-' : `${Math.round(c.medianSecondsToDetect)} s`}`,
    );
  }
  const o = e.overall;
  lines.push(`${'overall'.padEnd(24)} ${String(o.incidents).padStart(9)} ${String(o.detected).padStart(8)} ${pct(o.recall)}   ${String(o.findings).padStart(6)}     ${pct(o.precision)}`);
  if (e.missed.length > 0) lines.push(`missed: ${e.missed.join(', ')}`);
  return lines.join('\n') + '\n';
}
