// The report as one self-contained HTML page: styles inline, charts as inline SVG drawn here, no
// script at all, and a Content-Security-Policy that forbids every load, so it opens offline and
// nothing quoted from traffic can run or call out even if an escape were missed.
import { RULE_CATEGORY_FAMILIES } from '@sidetap/core';
import { barChart } from './barChart';
import type { BarRow } from './barChart';
import { formatCount, formatTime } from './chartScale';
import { actorText, factList, findingItem, incidentArticle } from './evidenceSection';
import { escapeHtml as e } from './htmlText';
import { ACCENT, familyColor, riskColor, SEVERITY_COLORS, SEVERITY_NAMES } from './palette';
import type { Ranked, ReportData } from './reportData';
import { REPORT_CSS, REPORT_CSS_HASH } from './reportStyle';
import { timeChart } from './timeChart';

/** No source for anything but the one stylesheet and the empty icon. */
const REPORT_CSP = `default-src 'none'; style-src ${REPORT_CSS_HASH}; img-src data:; base-uri 'none'; form-action 'none'`;

const CATEGORY_TEXT = new Map<string, string>(
  Object.values(RULE_CATEGORY_FAMILIES).flatMap((f) => Object.entries(f.categories) as Array<[string, string]>),
);

export function renderReport(data: ReportData): string {
  const f = data.findings;
  const title = `sidetap report: ${formatCount(f.total)} finding${f.total === 1 ? '' : 's'}`;
  const sections = [
    ['overview', 'Overview', overview(data)],
    ['findings', 'Findings', findingCharts(data)],
    ['actors', 'Actors and endpoints', actorCharts(data)],
    ['incidents', 'Incidents', incidents(data)],
    ['other-findings', 'Findings outside incidents', loneFindings(data)],
  ] as const;
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${e(REPORT_CSP)}">` +
    `<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="generator" content="sidetap report"><link rel="icon" href="data:,">` +
    `<title>${e(title)}</title><style>${REPORT_CSS}</style></head>\n<body>` +
    `<header><h1>sidetap report</h1><p class="note">${e(scope(data))}</p>` +
    `<nav aria-label="Sections"><ul>${sections.map(([id, name]) => `<li><a href="#${id}">${e(name)}</a></li>`).join('')}</ul></nav></header>\n<main>` +
    sections.map(([id, name, body]) => `<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${e(name)}</h2>${body}</section>\n`).join('') +
    `</main><footer>Made by <code>sidetap report</code>. Times are event times from the capture, in UTC. ` +
    `Every finding is in the store; this page shows counts of all of them and the evidence of the riskiest.</footer></body></html>\n`
  );
}

function scope(data: ReportData): string {
  const parts = [`Store ${data.source}`];
  if (data.since !== undefined || data.until !== undefined) parts.push(`findings from ${data.since ?? 'the start'} until before ${data.until ?? 'the end'}`);
  return parts.join('; ') + '.';
}

function overview(data: ReportData): string {
  const f = data.findings;
  const s = data.sessions;
  const stats: Array<[string, string]> = [
    ['Findings', formatCount(f.total)],
    ['Critical', formatCount(f.bySeverity[3])],
    ['High', formatCount(f.bySeverity[2])],
    ['Incidents', formatCount(data.incidents.total)],
    ['Riskiest incident', data.incidents.shown[0] !== undefined ? `${formatCount(data.incidents.shown[0].risk)} / 100` : '-'],
    ['Riskiest finding', f.total > 0 ? `${formatCount(f.maxRisk)} / 100` : '-'],
    ['First finding', formatTime(f.first)],
    ['Last finding', formatTime(f.last)],
    ['Sessions', formatCount(s.total)],
    ['Requests', formatCount(s.requests)],
    ['Error responses', s.requests > 0 ? `${((100 * s.errors) / s.requests).toFixed(1)}%` : '-'],
  ];
  const notes: string[] = [];
  if (f.total === 0) notes.push('The store holds no findings in this view.');
  if (f.skipped > 0) notes.push(`${formatCount(f.skipped)} finding record${f.skipped === 1 ? ' was' : 's were'} unreadable and left out.`);
  if (f.repeated > 0) notes.push(`${formatCount(f.repeated)} finding${f.repeated === 1 ? ' was' : 's were'} stored more than once (a capture replayed again) and counted once.`);
  if (s.skipped > 0) notes.push(`${formatCount(s.skipped)} session record${s.skipped === 1 ? ' was' : 's were'} unreadable and left out.`);
  return (
    `<dl class="stats">${stats.map(([k, v]) => `<div><dt>${e(k)}</dt><dd>${e(v)}</dd></div>`).join('')}</dl>` +
    notes.map((n) => `<p class="note">${e(n)}</p>`).join('')
  );
}

function findingCharts(data: ReportData): string {
  const bySeverity: BarRow[] = [3, 2, 1, 0].map((i) => ({ label: SEVERITY_NAMES[i]!, value: data.findings.bySeverity[i as 0 | 1 | 2 | 3], color: SEVERITY_COLORS[i]! }));
  const byCategory: BarRow[] = data.byCategory.map((c) => ({
    label: c.category,
    value: c.count,
    color: familyColor(c.family),
    note: `${c.family}${CATEGORY_TEXT.has(c.category) ? `: ${CATEGORY_TEXT.get(c.category)}` : ''}`,
  }));
  const byOwasp: BarRow[] = data.byOwasp.map((o) => ({ label: o.id === 'none' ? 'not mapped' : `${o.id} ${o.title}`, value: o.count, color: o.id === 'none' ? '#999999' : ACCENT, note: o.title }));
  return (
    timeChart('chart-time', data.timeline) +
    barChart({ id: 'chart-severity', title: 'By severity', description: 'Findings per severity, most severe first.', unit: 'Findings', labelHeader: 'Severity', rows: bySeverity }) +
    barChart({
      id: 'chart-category',
      title: 'By category',
      description: 'Findings per rule category (sidetap taxonomy), coloured by family.',
      unit: 'Findings',
      labelHeader: 'Category',
      rows: byCategory,
    }) +
    barChart({
      id: 'chart-owasp',
      title: 'OWASP API Security Top 10 (2023)',
      description: 'Findings per OWASP API Top 10 risk the detectors mapped them to, in rank order.',
      unit: 'Findings',
      labelHeader: 'OWASP API risk',
      rows: data.findings.total > 0 ? byOwasp : [],
      labelChars: 32,
    })
  );
}

function actorCharts(data: ReportData): string {
  const a = data.topActors;
  const p = data.topEndpoints;
  const actorRows = a.rows.map((r) => rankedRow(r, [r.label !== r.key ? `actor ${r.key}` : '', r.ip !== undefined ? `client ${r.ip}` : '', sessionNote(data, r.key)]));
  const endpointRows = p.rows.map((r) => rankedRow(r, []));
  return (
    barChart({
      id: 'chart-actors',
      title: `Top ${a.rows.length} actors`,
      description:
        `Actors with the most findings, coloured by their highest risk, of ${a.exact ? '' : 'at least '}${formatCount(a.distinctAtLeast)} actors` +
        `${a.withoutActor > 0 ? `; ${plural(a.withoutActor, 'finding names', 'findings name')} no single actor` : ''}${a.exact ? '' : '; counts are upper bounds'}.`,
      unit: 'Findings',
      labelHeader: 'Actor',
      rows: actorRows,
    }) +
    barChart({
      id: 'chart-endpoints',
      title: `Top ${p.rows.length} endpoints`,
      description:
        `Endpoint templates with the most findings, coloured by their highest risk, of ${p.exact ? '' : 'at least '}${formatCount(p.distinctAtLeast)} endpoints` +
        `${p.withoutEndpoint > 0 ? `; ${plural(p.withoutEndpoint, 'finding names', 'findings name')} no endpoint` : ''}${p.exact ? '' : '; counts are upper bounds'}.`,
      unit: 'Findings',
      labelHeader: 'Endpoint',
      rows: endpointRows,
      labelChars: 32,
    })
  );
}

function rankedRow(r: Ranked, notes: string[]): BarRow {
  return {
    label: r.label,
    value: r.findings,
    valueText: r.overcount > 0 ? `${formatCount(r.findings - r.overcount)}-${formatCount(r.findings)}` : undefined,
    color: riskColor(r.maxRisk),
    note: [`max risk ${r.maxRisk}`, r.categories.join(', '), ...notes].filter((n) => n !== '').join('; '),
  };
}

function sessionNote(data: ReportData, key: string): string {
  const c = data.actors.get(key);
  return c === undefined || c.sessions === 0 ? '' : actorText(c);
}

function incidents(data: ReportData): string {
  const i = data.incidents;
  if (i.total === 0) return `<p class="empty">No incidents: no actor's findings were correlated in this view.</p>`;
  const intro = `<p class="note">${formatCount(i.total)} incident${i.total === 1 ? '' : 's'}; the ${formatCount(i.shown.length)} riskiest with their evidence, riskiest first.</p>`;
  const index =
    `<table><thead><tr><th scope="col">Risk</th><th scope="col">Actor</th><th scope="col">Findings</th><th scope="col">Categories</th><th scope="col">Start</th></tr></thead><tbody>` +
    i.shown
      .map(
        (x) =>
          `<tr><td class="num">${formatCount(x.risk)}</td><td><a href="#incident-${e(x.id)}">${e(x.user ?? x.actorKey ?? 'unknown actor')}</a></td>` +
          `<td class="num">${formatCount(x.findings)}</td><td>${e(x.categories.join(', '))}</td><td>${e(formatTime(x.start))}</td></tr>`,
      )
      .join('') +
    `</tbody></table>`;
  return intro + index + i.shown.map((x) => incidentArticle(x, x.actorKey === undefined ? undefined : data.actors.get(x.actorKey))).join('');
}

function loneFindings(data: ReportData): string {
  const l = data.loneFindings;
  if (l.total === 0) return `<p class="empty">Every finding in this view belongs to an incident.</p>`;
  return (
    factList([['Findings outside incidents', `${formatCount(l.total)} (the ${formatCount(l.shown.length)} riskiest shown)`]]) +
    `<ol class="findings">${l.shown.map(findingItem).join('')}</ol>`
  );
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
