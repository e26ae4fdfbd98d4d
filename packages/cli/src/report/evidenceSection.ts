// The evidence part of the page: each of the riskiest incidents with its actor, risk, span and
// categories, then its findings one by one with message and evidence; and the riskiest findings
// that belong to no incident. Every string here came from traffic, so all of it is escaped.
import { formatCount, formatTime } from './chartScale';
import { escapeHtml as e } from './htmlText';
import type { IncidentSummary } from './incidentBoard';
import { SEVERITY_NAMES } from './palette';
import type { FindingView } from './recordViews';
import type { ActorContext } from './reportData';

export function incidentArticle(inc: IncidentSummary, actor: ActorContext | undefined): string {
  const who = inc.user ?? inc.actorKey ?? 'unknown actor';
  const facts: Array<[string, string]> = [
    ['Incident', `<code>${e(inc.id)}</code>`],
    ['Actor', `${e(who)}${inc.user !== undefined && inc.actorKey !== undefined ? ` <code>${e(inc.actorKey)}</code>` : ''}`],
    ['Risk', `${formatCount(inc.risk)} / 100`],
    ['Time span', `${e(formatTime(inc.start))} to ${e(formatTime(inc.end))}`],
    ['Categories', inc.categories.map((c) => `<code>${e(c)}</code>`).join(' ')],
    ['Findings', `${formatCount(inc.findings)}${inc.evidence.length < inc.findings ? ` (the ${inc.evidence.length} riskiest shown)` : ''}`],
  ];
  if (inc.ips.length > 0) facts.push(['Client addresses', inc.ips.map((ip) => `<code>${e(ip)}</code>`).join(' ')]);
  if (actor !== undefined && actor.sessions > 0) facts.push(['Sessions of the actor', e(actorText(actor))]);
  return (
    `<article class="incident" id="incident-${e(inc.id)}" aria-labelledby="incident-${e(inc.id)}-title">` +
    `<h3 id="incident-${e(inc.id)}-title">Risk ${formatCount(inc.risk)}: ${e(who)}, ${e(inc.categories.join(', '))}</h3>` +
    factList(facts) +
    `<ol class="findings">${inc.evidence.map(findingItem).join('')}</ol></article>`
  );
}

/** What the actor's sessions did, in plain text (escape it for HTML). */
export function actorText(a: ActorContext): string {
  const parts = [
    `${formatCount(a.sessions)} session${a.sessions === 1 ? '' : 's'}, ${formatCount(a.requests)} requests, ${formatCount(a.errors)} errors`,
    a.devices > 0 ? `${formatCount(a.devices)} device${a.devices === 1 ? '' : 's'}` : '',
    a.clientIps.length > 0 ? `from ${a.clientIps.join(', ')}` : '',
    a.countries.length > 0 ? `in ${a.countries.join(', ')}` : '',
  ];
  return parts.filter((p) => p !== '').join('; ');
}

export function findingItem(f: FindingView): string {
  const sev = SEVERITY_NAMES[f.severity - 1];
  const facts: Array<[string, string]> = [];
  if (f.endpoint !== undefined) facts.push(['Endpoint', `<code>${e(f.endpoint)}</code>`]);
  if (f.location !== undefined) facts.push(['Where', `<code>${e(f.location)}</code>`]);
  if (f.ip !== undefined) facts.push(['Client', `<code>${e(f.ip)}</code>`]);
  if (f.actorKey !== undefined) facts.push(['Actor', `${f.user !== undefined ? `${e(f.user)} ` : ''}<code>${e(f.actorKey)}</code>`]);
  if (f.observed !== undefined) facts.push(['Observed', `<code>${e(f.observed)}</code>`]);
  if (f.expected !== undefined) facts.push(['Expected', `<code>${e(f.expected)}</code>`]);
  if (f.window !== undefined) facts.push(['Evidence window', `${e(formatTime(f.window.start))} to ${e(formatTime(f.window.end))}`]);
  facts.push([
    'Exchanges',
    f.exchangeIds.map((id) => `<code>${e(id)}</code>`).join(' ') + (f.moreExchangeIds > 0 ? ` and ${formatCount(f.moreExchangeIds)} more` : ''),
  ]);
  if (f.excerpts.length > 0) {
    facts.push(['Excerpts', f.excerpts.map((x) => `<pre>${e(x)}</pre>`).join('') + (f.moreExcerpts > 0 ? `<p class="note">and ${formatCount(f.moreExcerpts)} more</p>` : '')]);
  }
  if (f.incompleteFlags.length > 0) facts.push(['Capture', `incomplete flow: ${f.incompleteFlags.map((x) => `<code>${e(x)}</code>`).join(' ')}`]);
  facts.push(['Rule', `<code>${e(f.ruleId)}</code>${f.detector !== undefined ? ` (detector <code>${e(f.detector)}</code>)` : ''}, finding <code>${e(f.id)}</code>`]);
  return (
    `<li class="finding sev${f.severity}">` +
    `<p><span class="badge sev${f.severity}">${sev}</span> <time datetime="${e(f.time)}">${e(formatTime(f.time))}</time> ` +
    `<strong>${e(f.ruleName)}</strong> <code>${e(f.category)}</code>${f.owasp !== undefined ? ` <code>${e(f.owasp)}</code>` : ''} · risk ${formatCount(f.risk)}</p>` +
    `<p class="message">${e(f.message)}</p>` +
    factList(facts) +
    `</li>`
  );
}

/** Terms and definitions whose definitions are already HTML (escaped by the caller). */
export function factList(facts: ReadonlyArray<[string, string]>): string {
  return `<dl class="facts">${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}
