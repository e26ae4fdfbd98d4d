import { eventSchema } from './event';
import { httpExchangeSchema } from './httpExchange';
import { schemaFields } from './schemaFields';
import { sampleEvent, sampleExchange } from './testRecords';

function issuePaths(input: unknown): PropertyKey[][] {
  const result = eventSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path);
}

describe('eventSchema', () => {
  it('accepts an enriched exchange', () => {
    expect(eventSchema.parse(sampleEvent())).toEqual(sampleEvent());
  });

  it('accepts an event the sessionizer could not place geographically, fingerprint or name', () => {
    const { user: _user, ...event } = sampleEvent();
    const { geo: _geo, ...source } = event.source;
    const { device: _device, ...sidetap } = event.sidetap;
    expect(eventSchema.safeParse({ ...event, source, sidetap }).success).toBe(true);
  });

  it('is still a valid exchange apart from its dataset', () => {
    const event = sampleEvent();
    expect(httpExchangeSchema.safeParse({ ...event, event: { ...event.event, dataset: 'sidetap.exchange' } }).success).toBe(true);
  });

  it('rejects a bare exchange, naming what the sessionizer must add', () => {
    expect(issuePaths(sampleExchange())).toEqual([
      ['event', 'dataset'],
      ['sidetap', 'actor'],
      ['sidetap', 'session'],
      ['sidetap', 'endpoint'],
    ]);
  });

  it('rejects an unknown actor kind and a session position below 1', () => {
    const event = sampleEvent();
    const bad = {
      ...event,
      sidetap: { ...event.sidetap, actor: { kind: 'oauth', id: 'x' }, session: { id: 's', seq: 0, timeline: 'user:x' } },
    };
    expect(issuePaths(bad)).toEqual([
      ['sidetap', 'actor', 'kind'],
      ['sidetap', 'session', 'seq'],
    ]);
  });

  it('rejects a location outside the globe', () => {
    const event = sampleEvent();
    const bad = { ...event, source: { ...event.source, geo: { location: { lat: 91, lon: 0 } } } };
    expect(issuePaths(bad)).toEqual([['source', 'geo', 'location', 'lat']]);
  });

  it('carries every exchange field, with the same description', () => {
    const eventFields = new Map(schemaFields(eventSchema).map((f) => [f.path, f]));
    for (const field of schemaFields(httpExchangeSchema)) {
      if (field.path === 'event.dataset') continue;
      expect(eventFields.get(field.path)).toEqual(field);
    }
  });
});
