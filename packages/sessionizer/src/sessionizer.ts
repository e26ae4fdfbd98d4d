// The sessionizer stage: places each exchange on its timeline (the user a login or refresh tied
// its credentials to, else its actor), in a session split on inactivity and a maximum length,
// with endpoint template, geo and device, and notes facts about credentials and devices. Emits
// one Event per exchange and a SessionSummary when a session closes. Per-timeline state lives in
// the state store, so embedded (memory) and distributed (Redis) runs give the same events.
import { ACTOR_KINDS, LruCache, parseIsoTime } from '@sidetap/core';
import type { ActorKind, Event, EventFact, HttpExchange, Processor, SessionCloseReason, SessionSummary, StageContext } from '@sidetap/core';
import type { DeviceInfo, Enrichers, GeoInfo } from './enrichers';
import { issuedCredentials, loginAttempt, loginUser } from './identityLinks';
import type { SessionizerConfig } from './sessionizerConfig';
import { addCapped, emptyTimeline, sessionId, summarize } from './timelineState';
import type { OpenSession, TimelineState } from './timelineState';

type Output = Event | SessionSummary;

const LINK = 'link:';
const TIMELINE = 'tl:';
/** Devices remembered per timeline (one per credential). */
const DEVICES_KEPT = 8;
/** Counter names by actor kind, made once rather than for every event. */
const EVENTS_BY_KIND: Partial<Record<string, string>> = Object.fromEntries(ACTOR_KINDS.map((k) => [k, `sessionizer_events_total{actor_kind="${k}"}`]));
/** A JWT's nbf may run this far ahead of the capture clock before it counts as not yet valid. */
const CLOCK_SKEW_MS = 60_000;

export function createSessionizer(config: SessionizerConfig, ctx: StageContext, enrichers: Enrichers): Processor<HttpExchange, Output> {
  const { state, counters } = ctx;
  // Open sessions by timeline with their last request time, least recently active first, so
  // closing on a watermark walks from the old end and stops at the first one still active.
  const open = new LruCache<string, number>(Number.MAX_SAFE_INTEGER);
  // Timelines pushed out of `open` by maxOpenSessions during a batch, closed at its end.
  const evicted: string[] = [];

  const load = async (keys: Iterable<string>, now: number): Promise<Map<string, TimelineState>> => {
    const out = new Map<string, TimelineState>();
    await Promise.all(
      [...keys].map(async (k) => {
        const text = await state.get(TIMELINE + k, now);
        out.set(k, text === undefined ? emptyTimeline() : (JSON.parse(text) as TimelineState));
      }),
    );
    return out;
  };
  const save = (timeline: string, t: TimelineState, now: number): Promise<void> =>
    state.set(TIMELINE + timeline, JSON.stringify(t), { now, ttlMs: config.stateTtlMs });

  const close = (timeline: string, t: TimelineState, reason: SessionCloseReason, out: Output[]): void => {
    if (t.session === undefined) return;
    out.push(summarize(timeline, t.session, reason));
    counters.inc(`sessionizer_sessions_closed_total{reason="${reason}"}`);
    delete t.session;
    open.delete(timeline);
  };

  /** Closes sessions idle since before `cutoff` (all of them for the end of the stream). */
  const closeIdle = async (cutoff: number, now: number, reason: SessionCloseReason): Promise<Output[]> => {
    const due: string[] = [];
    for (const [timeline, last] of open.oldestFirst()) {
      if (last >= cutoff) break;
      due.push(timeline);
    }
    if (due.length === 0) return [];
    const out: Output[] = [];
    const states = await load(due, now);
    for (const timeline of due) {
      const t = states.get(timeline)!;
      // The state may have moved on (another member, or a late request): close only what is idle.
      if (t.session === undefined || t.session.last >= cutoff) {
        if (t.session === undefined) open.delete(timeline);
        else open.set(timeline, t.session.last);
        continue;
      }
      close(timeline, t, reason, out);
      await save(timeline, t, now);
    }
    return out;
  };

  return {
    async process(exchanges) {
      counters.inc('sessionizer_exchanges_received_total', exchanges.length);
      const times = exchanges.map((ex) => parseIsoTime(ex['@timestamp']));
      const now = Math.max(...times);
      // Links first: which timeline each credential belongs to.
      const creds = new Set<string>();
      for (const ex of exchanges) if (ex.sidetap.credential !== undefined) creds.add(ex.sidetap.credential.hash);
      const links = new Map<string, string>();
      await Promise.all(
        [...creds].map(async (c) => {
          const v = await state.get(LINK + c, now);
          if (v !== undefined) links.set(c, v);
        }),
      );
      const timelineOf = (ex: HttpExchange): string => {
        const cred = ex.sidetap.credential?.hash;
        const linked = cred === undefined ? undefined : links.get(cred);
        if (linked !== undefined) return linked;
        const [kind, id] = splitActor(ex);
        // A Basic user or a gateway's user header already names the person.
        return kind === 'basic' || kind === 'header' ? `user:${id}` : ex.sidetap.actor_key;
      };
      const states = await load(new Set(exchanges.map(timelineOf)), now);
      const out: Output[] = [];
      const touched = new Set<string>();
      for (let i = 0; i < exchanges.length; i++) {
        const ex = exchanges[i]!;
        const t = times[i]!;
        // A link made earlier in this batch applies to the rest of it.
        const timeline = timelineOf(ex);
        let tl = states.get(timeline);
        if (tl === undefined) {
          tl = (await load([timeline], now)).get(timeline)!;
          states.set(timeline, tl);
        }
        touched.add(timeline);
        const facts: EventFact[] = [];
        const session = continueOrOpen(timeline, tl, ex, t, out);
        const endpoint = enrichers.endpoints.match(ex.http.request.method, ex.url.path || '/', ex.url.domain).template;
        const geo = enrichers.geo?.lookup(ex.source.ip);
        const device = enrichers.devices?.fingerprint(ex.http.request.headers);
        // Per credential, not per actor: one user's phone and laptop hold tokens of their own.
        noteDevice(tl, ex.sidetap.credential?.hash ?? ex.sidetap.actor_key, device?.id, facts);
        noteCredential(ex, t, facts);
        const [kind, id] = splitActor(ex);
        counters.inc(EVENTS_BY_KIND[kind] ?? `sessionizer_events_total{actor_kind="${kind}"}`);
        if (kind === 'header') facts.push('actor_from_header');
        const linked = ex.sidetap.credential !== undefined && links.has(ex.sidetap.credential.hash);
        if (linked) facts.push('identity_linked');
        account(session, ex, t, endpoint, geo?.geo?.country_iso_code, device?.id);
        const user = userOf(timeline, kind, id);
        if (user.id !== undefined && session.userId === undefined) session.userId = user.id;
        if (user.name !== undefined && session.userName === undefined) session.userName = user.name;
        const event = toEvent(ex, { kind, id }, session, timeline, endpoint, geo, device, facts, user);
        const login = loginAttempt(ex, config.loginUserFields);
        if (login !== undefined) event.sidetap.login = login;
        out.push(event);
        // A login or refresh response: what it issues joins the user (or this timeline).
        const issued = issuedCredentials(ex);
        if (issued.length > 0) {
          const name = loginUser(ex, config.loginUserFields);
          const target = name !== undefined ? `user:${name}` : timeline;
          for (const c of issued) {
            links.set(c, target);
            await state.set(LINK + c, target, { now: t, ttlMs: config.stateTtlMs });
          }
          counters.inc('sessionizer_credentials_linked_total', issued.length);
        }
      }
      await Promise.all([...touched].map((timeline) => save(timeline, states.get(timeline)!, now)));
      if (evicted.length > 0) {
        const due = evicted.splice(0).filter((timeline) => !open.has(timeline));
        const gone = await load(due, now);
        for (const [timeline, tl] of gone) {
          close(timeline, tl, 'evicted', out);
          await save(timeline, tl, now);
        }
      }
      for (const r of out) counters.inc(r.event.dataset === 'sidetap.session' ? 'sessionizer_sessions_emitted_total' : 'sessionizer_events_emitted_total');
      return out;
    },
    async flush(watermark) {
      if (watermark >= Number.MAX_SAFE_INTEGER) return closeIdle(Infinity, lastSeenOf(open), 'end_of_stream');
      return closeIdle(watermark - config.sessionGapMs, watermark, 'inactivity');
    },
    async close() {
      return [];
    },
  };

  function continueOrOpen(timeline: string, tl: TimelineState, ex: HttpExchange, t: number, out: Output[]): OpenSession {
    const s = tl.session;
    if (s !== undefined) {
      if (t < s.last) counters.inc('sessionizer_events_late_total');
      const idle = t - s.last > config.sessionGapMs;
      const tooLong = t - s.start > config.sessionMaxMs;
      if (!idle && !tooLong) {
        open.set(timeline, Math.max(s.last, t));
        return s;
      }
      close(timeline, tl, idle ? 'inactivity' : 'max_length', out);
    }
    const [kind, id] = splitActor(ex);
    const fresh: OpenSession = {
      id: sessionId(timeline, ex.event.id),
      start: t,
      last: t,
      seq: 0,
      actorKey: ex.sidetap.actor_key,
      actorKind: kind,
      actorId: id,
      endpoints: [],
      endpointsOver: 0,
      ips: [],
      countries: [],
      devices: [],
      actors: [],
      bytesSent: 0,
      bytesReceived: 0,
      errors: 0,
    };
    tl.session = fresh;
    counters.inc('sessionizer_sessions_opened_total');
    open.set(timeline, t);
    if (open.size > config.maxOpenSessions) {
      // Closing early keeps the summary; the session's state would otherwise linger unclosed.
      const oldest = open.oldestFirst().next().value?.[0];
      if (oldest !== undefined && oldest !== timeline) {
        open.delete(oldest);
        counters.inc('sessionizer_sessions_evicted_total');
        evicted.push(oldest);
      }
    }
    return fresh;
  }

  function account(s: OpenSession, ex: HttpExchange, t: number, endpoint: string, country: string | undefined, device: string | undefined): void {
    const max = config.summaryListMax;
    s.seq++;
    s.last = Math.max(s.last, t);
    if (!s.endpoints.includes(endpoint)) {
      if (s.endpoints.length < max) s.endpoints.push(endpoint);
      else s.endpointsOver++;
    }
    addCapped(s.ips, ex.source.ip, max);
    if (country !== undefined) addCapped(s.countries, country, max);
    if (device !== undefined) addCapped(s.devices, device, max);
    addCapped(s.actors, ex.sidetap.actor_key, max);
    s.bytesSent += ex.source.bytes ?? 0;
    s.bytesReceived += ex.destination.bytes ?? 0;
    if ((ex.http.response?.status_code ?? 0) >= 400) s.errors++;
  }
}

function lastSeenOf(open: LruCache<string, number>): number {
  let last = 0;
  for (const [, v] of open.oldestFirst()) if (v > last) last = v;
  return last;
}

function splitActor(ex: HttpExchange): [ActorKind, string] {
  const key = ex.sidetap.actor_key;
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  if ((ACTOR_KINDS as readonly string[]).includes(kind)) return [kind as ActorKind, key.slice(colon + 1)];
  return ['ip', ex.source.ip];
}

function userOf(timeline: string, kind: ActorKind, id: string): { id?: string; name?: string } {
  if (timeline.startsWith('user:')) return { name: timeline.slice('user:'.length) };
  if (kind === 'jwt' && !id.startsWith('h:')) return { id };
  return {};
}

function noteDevice(tl: TimelineState, actorKey: string, device: string | undefined, facts: EventFact[]): void {
  if (device === undefined) return;
  const at = tl.devices.findIndex(([k]) => k === actorKey);
  if (at >= 0) {
    if (tl.devices[at]![1] !== device) facts.push('device_changed');
    tl.devices.splice(at, 1);
  }
  tl.devices.push([actorKey, device]);
  if (tl.devices.length > DEVICES_KEPT) tl.devices.shift();
}

function noteCredential(ex: HttpExchange, t: number, facts: EventFact[]): void {
  const jwt = ex.sidetap.credential?.jwt;
  if (jwt === undefined) return;
  if (jwt.alg !== undefined && jwt.alg.toLowerCase() === 'none') facts.push('jwt_alg_none');
  if (jwt.status === 'invalid') facts.push('jwt_invalid');
  if (jwt.exp !== undefined && jwt.exp * 1000 < t) facts.push('jwt_expired');
  if (jwt.nbf !== undefined && jwt.nbf * 1000 > t + CLOCK_SKEW_MS) facts.push('jwt_not_yet_valid');
}

function toEvent(
  ex: HttpExchange,
  actor: { kind: ActorKind; id: string },
  session: OpenSession,
  timeline: string,
  endpoint: string,
  geo: GeoInfo | undefined,
  device: DeviceInfo | undefined,
  facts: EventFact[],
  user: { id?: string; name?: string },
): Event {
  // Built field by field rather than with conditional spreads: one object shape for every event
  // keeps this hot path monomorphic (spreads made it the stage's most expensive line).
  const sidetap: Event['sidetap'] = {
    capture: ex.sidetap.capture,
    actor_key: ex.sidetap.actor_key,
    actor,
    session: { id: session.id, seq: session.seq, timeline },
    endpoint,
  };
  if (ex.sidetap.credential !== undefined) sidetap.credential = ex.sidetap.credential;
  if (device !== undefined) sidetap.device = device;
  if (geo !== undefined) sidetap.geo = geo.confidence === undefined ? { scope: geo.scope } : { scope: geo.scope, confidence: geo.confidence };
  if (facts.length > 0) sidetap.facts = facts;
  const event: Event = {
    '@timestamp': ex['@timestamp'],
    event: { ...ex.event, dataset: 'sidetap.event' },
    source: geo?.geo === undefined ? ex.source : { ...ex.source, geo: geo.geo },
    destination: ex.destination,
    network: ex.network,
    http: ex.http,
    url: ex.url,
    sidetap,
  };
  if (ex.user_agent !== undefined) event.user_agent = ex.user_agent;
  if (user.id !== undefined || user.name !== undefined) event.user = user;
  return event;
}
