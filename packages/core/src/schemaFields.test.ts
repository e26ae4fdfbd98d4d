import { z } from 'zod';
import { eventSchema } from './event';
import { findingSchema } from './finding';
import { httpExchangeSchema } from './httpExchange';
import { schemaFields, type SchemaField } from './schemaFields';

const shapes = z.object({
  '@timestamp': z.iso.datetime().describe('when'),
  seen: z.string().meta({ esType: 'date' }).describe('when, loosely'),
  ip: z.string().meta({ esType: 'ip' }),
  url: z.string().meta({ esType: 'text' }).optional().describe('free text'),
  name: z.string().describe('a name'),
  count: z.number().int().nonnegative(),
  ratio: z.number(),
  on: z.boolean(),
  kind: z.literal('alert'),
  level: z.enum(['low', 'high']).optional(),
  digits: z.union([z.literal(1), z.literal(2)]),
  tags: z.array(z.enum(['a', 'b'])).describe('tags'),
  ports: z.array(z.number().int()).optional(),
  either: z.union([z.number(), z.string()]),
  headers: z.record(z.string(), z.string()).describe('headers'),
  where: z.object({ lat: z.number(), lon: z.number() }).meta({ esType: 'geo_point' }).optional(),
  nested: z
    .object({ inner: z.object({ leaf: z.string().optional().describe('deep') }).optional() })
    .describe('a parent'),
});

describe('schemaFields', () => {
  const fields = new Map(schemaFields(shapes).map((f) => [f.path, f]));
  const field = (path: string): SchemaField | undefined => fields.get(path);

  it.each<[string, Partial<SchemaField>]>([
    ['@timestamp', { type: 'date', optional: false, array: false, description: 'when' }],
    ['seen', { type: 'date', description: 'when, loosely' }],
    ['ip', { type: 'ip' }],
    ['url', { type: 'text', optional: true, description: 'free text' }],
    ['name', { type: 'keyword', optional: false, description: 'a name' }],
    ['count', { type: 'long' }],
    ['ratio', { type: 'float' }],
    ['on', { type: 'boolean' }],
    ['kind', { type: 'keyword', values: ['alert'] }],
    ['level', { type: 'keyword', optional: true, values: ['low', 'high'] }],
    ['digits', { type: 'long', values: [1, 2] }],
    ['tags', { type: 'keyword', array: true, values: ['a', 'b'], description: 'tags' }],
    ['ports', { type: 'long', array: true, optional: true }],
    ['either', { type: 'keyword' }],
    ['headers', { type: 'flattened', description: 'headers' }],
    ['where', { type: 'geo_point', optional: true }],
    ['nested', { type: 'object', optional: false, description: 'a parent' }],
    ['nested.inner', { type: 'object', optional: true }],
    ['nested.inner.leaf', { type: 'keyword', optional: true, description: 'deep' }],
  ])('%s', (path, expected) => {
    expect(field(path)).toMatchObject(expected);
  });

  it('lists parents before their children and nothing else', () => {
    expect([...fields.keys()]).toEqual([
      '@timestamp', 'seen', 'ip', 'url', 'name', 'count', 'ratio', 'on', 'kind', 'level', 'digits', 'tags', 'ports',
      'either', 'headers', 'where', 'nested', 'nested.inner', 'nested.inner.leaf',
    ]);
  });

  it('leaves values out where any value goes', () => {
    expect(field('name')).not.toHaveProperty('values');
    expect(field('ip')).not.toHaveProperty('description');
  });

  it.each<[string, z.ZodObject]>([
    ['a nullable', z.object({ x: z.string().nullable() })],
    ['a union of objects', z.object({ x: z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]) })],
    ['a dotted key', z.object({ 'a.b': z.string() })],
    ['an ip hint on a number', z.object({ x: z.number().meta({ esType: 'ip' }) })],
    ['a geo_point hint on a string', z.object({ x: z.string().meta({ esType: 'geo_point' }) })],
  ])('throws on %s, naming the field', (_, schema) => {
    expect(() => schemaFields(schema)).toThrow(/^(x|a\.b): /);
  });

  it.each([
    ['HttpExchange', httpExchangeSchema],
    ['Event', eventSchema],
    ['Finding', findingSchema],
  ])('describes every field of %s', (_, schema) => {
    const undescribed = schemaFields(schema).filter((f) => !f.description).map((f) => f.path);
    expect(undescribed).toEqual([]);
  });

  it('knows the types the contracts mark without a distinct zod shape', () => {
    const exchange = new Map(schemaFields(httpExchangeSchema).map((f) => [f.path, f.type]));
    expect(exchange.get('@timestamp')).toBe('date');
    expect(exchange.get('source.ip')).toBe('ip');
    expect(exchange.get('destination.ip')).toBe('ip');
    expect(exchange.get('url.original')).toBe('text');
    expect(exchange.get('http.request.body.content')).toBe('text');
    expect(exchange.get('http.response.body.content')).toBe('text');
  });
});
