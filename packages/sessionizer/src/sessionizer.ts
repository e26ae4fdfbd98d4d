// The sessionizer stage. For now it places each exchange on its actor's timeline with what the
// exchange already says: the actor from its actor key, one running session per actor, and the
// raw path as the endpoint. Idle-gap sessions, endpoint templates, geo and devices come with
// the sessionizer issue; the record shape does not change then.
import { ACTOR_KINDS } from '@sidetap/core';
import type { Event, HttpExchange, Processor, StageContext } from '@sidetap/core';
import type { SessionizerConfig } from './sessionizerConfig';

type ActorKindName = (typeof ACTOR_KINDS)[number];

export function createSessionizer(config: SessionizerConfig, ctx: StageContext): Processor<HttpExchange, Event> {
  // Insertion order of a Map is its recency order once a touched key is re-inserted.
  const seqByActor = new Map<string, number>();
  const nextSeq = (actorKey: string): number => {
    const seq = (seqByActor.get(actorKey) ?? 0) + 1;
    seqByActor.delete(actorKey);
    seqByActor.set(actorKey, seq);
    if (seqByActor.size > config.maxActors) {
      const oldest = seqByActor.keys().next().value;
      if (oldest !== undefined) seqByActor.delete(oldest);
      ctx.counters.inc('sessionizer_actors_evicted_total');
    }
    return seq;
  };
  return {
    process(exchanges) {
      ctx.counters.inc('sessionizer_exchanges_received_total', exchanges.length);
      const events = exchanges.map((ex) => toEvent(ex, nextSeq(ex.sidetap.actor_key)));
      ctx.counters.inc('sessionizer_events_emitted_total', events.length);
      return events;
    },
    flush: () => [],
    close: () => [],
  };
}

function toEvent(ex: HttpExchange, seq: number): Event {
  const key = ex.sidetap.actor_key;
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const actor = (ACTOR_KINDS as readonly string[]).includes(kind)
    ? { kind: kind as ActorKindName, id: key.slice(colon + 1) }
    : { kind: 'ip' as const, id: ex.source.ip };
  return {
    ...ex,
    event: { ...ex.event, dataset: 'sidetap.event' },
    ...(actor.kind === 'jwt' || actor.kind === 'basic' ? { user: actor.kind === 'jwt' ? { id: actor.id } : { name: actor.id } } : {}),
    sidetap: { ...ex.sidetap, actor, session: { id: key, seq }, endpoint: ex.url.path || '/' },
  };
}
