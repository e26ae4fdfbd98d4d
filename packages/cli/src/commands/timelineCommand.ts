// `sidetap timeline <actor>`: one person's journey from the store — their sessions, then each
// request in order with endpoint, status, bytes, address, country, device, facts and findings.
// The actor may be a user name or id, a timeline or actor key, a token hash or an IP address.
import type { Event, Finding, SessionSummary } from '@sidetap/core';
import { kindDir, kindExists, readStoreRecords } from '@sidetap/indexer';
import type { StoreReadProblem } from '@sidetap/indexer';
import { parseCommandArgs, stringOption } from '../args';
import { storeProblemsText } from '../storeProblems';
import { UsageError } from '../usageError';
import type { CommandIo } from './commandIo';

export const TIMELINE_USAGE = 'sidetap timeline <actor> [--store DIR] [--limit N] [--json]';

export async function timelineCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('timeline', argv, { store: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } });
  const [actor, ...extra] = args.positionals;
  if (actor === undefined || extra.length > 0) throw new UsageError(`sidetap timeline: name one actor (${TIMELINE_USAGE}).`);
  const store = stringOption(args, 'store') ?? '.sidetap';
  const limitText = stringOption(args, 'limit') ?? '1000';
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit: expected a positive whole number, got "${limitText}".`);
  const eventsDir = kindDir(store, 'event');
  if (!kindExists(store, 'event')) throw new UsageError(`${eventsDir}: no events stored; run \`sidetap replay <capture> --store ${store}\` first.`);
  const problems: StoreReadProblem[] = [];
  const options = { onProblem: (p: StoreReadProblem) => problems.push(p) };

  const matches = matcher(actor);
  const events: Event[] = [];
  let more = 0;
  const timelines = new Set<string>();
  // A store replayed into twice holds each record twice (same id): each is shown once.
  const seen = new Set<string>();
  for await (const e of readStoreRecords<Event>(store, 'event', options)) {
    if (!matches(e) || seen.has(e.event.id)) continue;
    seen.add(e.event.id);
    timelines.add(e.sidetap.session.timeline);
    if (events.length < limit) events.push(e);
    else more++;
  }
  const sessions: SessionSummary[] = [];
  const seenSessions = new Set<string>();
  for await (const s of readStoreRecords<SessionSummary>(store, 'session', options)) {
    if (!timelines.has(s.sidetap.session.timeline) || seenSessions.has(s.event.id)) continue;
    seenSessions.add(s.event.id);
    sessions.push(s);
  }
  const ids = new Set(events.map((e) => e.event.id));
  const findingsBy = new Map<string, string[]>();
  // Every finding resting on one of these requests, whoever it names (a distributed attack names
  // no one): the index does not hold evidence ids, so this reads the findings whole.
  const seenFindings = new Set<string>();
  for await (const f of readStoreRecords<Finding>(store, 'alert', options)) {
    if (seenFindings.has(f.event.id)) continue;
    seenFindings.add(f.event.id);
    for (const id of f.sidetap.evidence.exchange_ids) {
      if (!ids.has(id)) continue;
      const list = findingsBy.get(id) ?? [];
      list.push(f.rule.name);
      findingsBy.set(id, list);
    }
  }
  events.sort((a, b) => (a['@timestamp'] < b['@timestamp'] ? -1 : a['@timestamp'] > b['@timestamp'] ? 1 : 0));
  sessions.sort((a, b) => (a['@timestamp'] < b['@timestamp'] ? -1 : 1));

  if (args.values['json'] === true) {
    const doc = { actor, timelines: [...timelines], sessions, events: events.map((e) => ({ ...e, findings: findingsBy.get(e.event.id) ?? [] })), more };
    io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    io.stdout.write(timelineText(actor, [...timelines], sessions, events, findingsBy, more));
  }
  io.stderr.write(storeProblemsText('timeline', problems));
  if (events.length === 0) {
    io.stderr.write(`sidetap timeline: no requests of "${actor}" in ${eventsDir}.\n`);
    return 1;
  }
  return 0;
}

function matcher(q: string): (e: Event) => boolean {
  const bare = q.replace(/^user:/, '');
  return (e) =>
    e.sidetap.session.timeline === q ||
    e.sidetap.session.timeline === `user:${bare}` ||
    e.user?.name === bare ||
    e.user?.id === bare ||
    e.sidetap.actor_key === q ||
    e.sidetap.actor.id === q ||
    e.sidetap.credential?.hash === q ||
    (e.sidetap.actor.kind === 'ip' && e.source.ip === q);
}

function timelineText(
  actor: string,
  timelines: string[],
  sessions: SessionSummary[],
  events: Event[],
  findingsBy: Map<string, string[]>,
  more: number,
): string {
  const lines = [`timeline of ${actor}: ${timelines.join(', ') || 'nothing found'}`];
  lines.push(`${sessions.length} session${sessions.length === 1 ? '' : 's'}:`);
  for (const s of sessions) {
    const x = s.sidetap.session;
    lines.push(
      `  ${x.id}  ${s.event.start} → ${s.event.end}  ${x.requests} requests, ${x.endpoints} endpoints, ` +
        `${x.errors} errors, ${x.client_ips.join(' ')}${x.countries.length ? ` (${x.countries.join(' ')})` : ''}, ` +
        `${x.devices.length} device${x.devices.length === 1 ? '' : 's'}, closed by ${x.closed_by}`,
    );
  }
  lines.push(`${events.length}${more > 0 ? ` of ${events.length + more}` : ''} requests:`);
  let session = '';
  for (const e of events) {
    if (e.sidetap.session.id !== session) {
      session = e.sidetap.session.id;
      lines.push(`  session ${session}`);
    }
    const res = e.http.response;
    const device = e.sidetap.device ? `${e.sidetap.device.browser ?? e.sidetap.device.type ?? 'device'} ${e.sidetap.device.id.slice(0, 8)}` : '-';
    const facts = e.sidetap.facts?.length ? `  [${e.sidetap.facts.join(', ')}]` : '';
    const found = findingsBy.get(e.event.id);
    lines.push(
      `    ${e['@timestamp']}  ${e.http.request.method} ${e.sidetap.endpoint}  ${res?.status_code ?? '---'}  ` +
        `${e.destination.bytes ?? 0} B  ${e.source.ip}${e.source.geo?.country_iso_code ? ` ${e.source.geo.country_iso_code}` : ''}  ${device}${facts}` +
        (found ? `  !! ${found.join('; ')}` : ''),
    );
  }
  if (more > 0) lines.push(`  ... ${more} more (--limit)`);
  return lines.join('\n') + '\n';
}
