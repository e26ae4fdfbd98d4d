import { ELASTIC_MAPPINGS, elasticMapping, unmappedPaths, type EsObjectMapping, type EsPropertyMapping } from './elasticMapping';
import { eventSchema } from './event';
import { findingSchema } from './finding';
import { httpExchangeSchema } from './httpExchange';
import { schemaFields } from './schemaFields';
import { sessionSummarySchema } from './sessionSummary';
import { sampleEvent, sampleExchange, sampleFinding, sampleSession } from './testRecords';

const RECORDS = [
  ['exchange', httpExchangeSchema, ELASTIC_MAPPINGS.exchange, sampleExchange()],
  ['event', eventSchema, ELASTIC_MAPPINGS.event, sampleEvent()],
  ['finding', findingSchema, ELASTIC_MAPPINGS.finding, sampleFinding()],
  ['session', sessionSummarySchema, ELASTIC_MAPPINGS.session, sampleSession()],
] as const;

function at(mapping: EsObjectMapping, path: string): EsPropertyMapping | undefined {
  let node: EsPropertyMapping | undefined = mapping;
  for (const name of path.split('.')) node = node !== undefined && 'properties' in node ? node.properties[name] : undefined;
  return node;
}

describe('elasticMapping', () => {
  it.each(RECORDS)('maps every %s field at its path, objects as objects', (_, schema, mapping) => {
    for (const field of schemaFields(schema)) {
      const m = at(mapping, field.path);
      expect({ path: field.path, mapped: m !== undefined }).toEqual({ path: field.path, mapped: true });
      if (field.type === 'object') expect(m).toHaveProperty('properties');
      else expect(m).not.toHaveProperty('properties');
    }
  });

  it.each(RECORDS)('knows every path of a parsed %s', (_, schema, mapping, record) => {
    expect(unmappedPaths(schema.parse(record) as Record<string, unknown>, mapping)).toEqual([]);
  });

  it('would catch a path the mapping lacks', () => {
    expect(unmappedPaths({ ...sampleFinding(), extra: 1 }, ELASTIC_MAPPINGS.finding)).toEqual(['extra']);
    expect(unmappedPaths(sampleEvent(), ELASTIC_MAPPINGS.exchange)).toEqual(
      expect.arrayContaining(['source.geo', 'user', 'sidetap.actor', 'sidetap.session', 'sidetap.endpoint']),
    );
  });

  it('rejects unknown fields instead of guessing their type', () => {
    for (const [, , mapping] of RECORDS) expect(mapping.dynamic).toBe('strict');
  });

  it.each<[keyof typeof ELASTIC_MAPPINGS, string, EsPropertyMapping]>([
    ['exchange', '@timestamp', { type: 'date' }],
    ['exchange', 'source.ip', { type: 'ip' }],
    ['exchange', 'destination.port', { type: 'long' }],
    ['exchange', 'event.duration', { type: 'long' }],
    ['exchange', 'http.request.headers', { type: 'flattened', ignore_above: 1024 }],
    ['exchange', 'http.response.status_code', { type: 'long' }],
    ['exchange', 'url.path', { type: 'keyword', ignore_above: 1024 }],
    ['exchange', 'url.original', { type: 'keyword', ignore_above: 1024, fields: { text: { type: 'match_only_text' } } }],
    ['exchange', 'sidetap.capture.flags', { type: 'keyword', ignore_above: 1024 }],
    ['event', 'source.geo.location', { type: 'geo_point' }],
    ['event', 'sidetap.session.seq', { type: 'long' }],
    ['finding', 'event.severity', { type: 'long' }],
    ['finding', 'event.risk_score', { type: 'float' }],
    ['finding', 'rule.category', { type: 'keyword', ignore_above: 1024 }],
    ['finding', 'threat.technique.id', { type: 'keyword', ignore_above: 1024 }],
    ['finding', 'sidetap.evidence.window.start', { type: 'date' }],
    ['finding', 'sidetap.evidence.observed', { type: 'keyword', ignore_above: 1024 }],
    ['finding', 'sidetap.capture_quality.complete', { type: 'boolean' }],
    ['finding', 'message', { type: 'keyword', ignore_above: 1024, fields: { text: { type: 'match_only_text' } } }],
  ])('%s %s', (record, path, expected) => {
    expect(at(ELASTIC_MAPPINGS[record], path)).toEqual(expected);
  });

  it('is the same mapping elasticMapping() builds, as plain JSON', () => {
    expect(ELASTIC_MAPPINGS.finding).toEqual(elasticMapping(findingSchema));
    expect(JSON.parse(JSON.stringify(ELASTIC_MAPPINGS.event))).toEqual(ELASTIC_MAPPINGS.event);
  });
});
