import { Counters, eventSchema } from '@sidetap/core';
import type { HttpExchange, StageContext } from '@sidetap/core';
import { pino } from 'pino';
import { createSessionizer } from './sessionizer';
import { sessionizerConfigSchema } from './sessionizerConfig';

function exchange(id: string, actorKey: string, path = '/api/items/7'): HttpExchange {
  return {
    '@timestamp': '2024-05-01T12:00:00.000Z',
    event: { id, kind: 'event', category: ['network'], type: ['connection', 'protocol'], dataset: 'sidetap.exchange' },
    source: { ip: '10.0.0.5', port: 40000 },
    destination: { ip: '10.0.0.9', port: 80 },
    network: { transport: 'tcp', type: 'ipv4', protocol: 'http' },
    http: { version: '1.1', request: { method: 'GET', headers: {}, body: { bytes: 0 } } },
    url: { original: path, path },
    sidetap: { capture: { source: 'pcap', flags: [] }, actor_key: actorKey },
  };
}

function context(): StageContext {
  return { logger: pino({ level: 'silent' }), counters: new Counters(), storeDir: '/nonexistent', state: undefined as never };
}

describe('sessionizer (pass-through)', () => {
  it('turns exchanges into valid events with the actor split out and a running sequence per actor', async () => {
    const ctx = context();
    const s = createSessionizer(sessionizerConfigSchema.parse({}), ctx);
    const events = await s.process([exchange('a', 'jwt:alice'), exchange('b', 'ip:10.0.0.5'), exchange('c', 'jwt:alice')]);
    for (const e of events) expect(eventSchema.safeParse(e).success).toBe(true);
    expect(events.map((e) => [e.sidetap.actor.kind, e.sidetap.actor.id, e.sidetap.session.seq])).toEqual([
      ['jwt', 'alice', 1],
      ['ip', '10.0.0.5', 1],
      ['jwt', 'alice', 2],
    ]);
    expect(events[0]!.user).toEqual({ id: 'alice' });
    expect(events[0]!.event.dataset).toBe('sidetap.event');
    expect(ctx.counters.get('sessionizer_events_emitted_total')).toBe(3);
  });

  it('forgets the least recently seen actor beyond maxActors and counts it', async () => {
    const ctx = context();
    const s = createSessionizer(sessionizerConfigSchema.parse({ maxActors: 2 }), ctx);
    await s.process([exchange('1', 'ip:a'), exchange('2', 'ip:b'), exchange('3', 'ip:a'), exchange('4', 'ip:c')]);
    const [again] = await s.process([exchange('5', 'ip:b')]);
    expect(again!.sidetap.session.seq).toBe(1); // b was evicted when c arrived
    expect(ctx.counters.get('sessionizer_actors_evicted_total')).toBe(2);
  });

  it('falls back to the client IP for an actor key of an unknown kind', async () => {
    const s = createSessionizer(sessionizerConfigSchema.parse({}), context());
    const [e] = await s.process([exchange('x', 'weird:thing')]);
    expect(e!.sidetap.actor).toEqual({ kind: 'ip', id: '10.0.0.5' });
  });
});
