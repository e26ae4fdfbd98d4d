// `sidetap timeline <actor>`: one person's journey from the store — their sessions, then each
// request in order with endpoint, status, bytes, address, country, device, facts and findings.
// The actor may be a user name or id, a timeline or actor key, a token hash or an IP address.
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Event, Finding, SessionSummary } from '@sidetap/core';
import { LOCAL_STORE_FILES } from '@sidetap/indexer';
import { parseCommandArgs, stringOption } from '../args';
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
  const eventsFile = join(store, LOCAL_STORE_FILES.event);
  if (!existsSync(eventsFile)) throw new UsageError(`${eventsFile}: no such file; run \`sidetap replay <capture> --store ${store}\` first.`);

  const matches = matcher(actor);
  const events: Event[] = [];
  let more = 0;
  const timelines = new Set<string>();
  for await (const e of readNdjson<Event>(eventsFile)) {
    if (!matches(e)) continue;
    timelines.add(e.sidetap.session.timeline);
    if (events.length < limit) events.push(e);
    else more++;
  }
  const sessions: SessionSummary[] = [];
  for await (const s of readNdjson<SessionSummary>(join(store, LOCAL_STORE_FILES.session))) {
    if (timelines.has(s.sidetap.session.timeline)) sessions.push(s);
  }
  const ids = new Set(events.map((e) => e.event.id));
  const findingsBy = new Map<string, string[]>();
  for await (const f of readNdjson<Finding>(join(store, LOCAL_STORE_FILES.alert))) {
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
  if (events.length === 0) {
    io.stderr.write(`sidetap timeline: no requests of "${actor}" in ${eventsFile}.\n`);
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

async function* readNdjson<T>(file: string): AsyncGenerator<T> {
  if (!existsSync(file)) return;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line === '') continue;
    try {
      yield JSON.parse(line) as T;
    } catch {
      throw new UsageError(`${file}: line ${n} is not JSON; the store is damaged.`);
    }
  }
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
