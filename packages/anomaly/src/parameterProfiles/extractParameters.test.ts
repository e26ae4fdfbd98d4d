// Extraction from every location, with hostile encodings, bodies and headers.
import { Counters } from '@sidetap/core';
import { extractParameters } from './extractParameters';
import { parameterProfilesConfigSchema } from './parameterProfilesConfig';
import { makeEvent } from './testTraffic';

const config = parameterProfilesConfigSchema.parse({});
const pairs = (event: ReturnType<typeof makeEvent>, c = config): Array<[string, string, string]> =>
  extractParameters(event, c).map((p) => [p.location, p.name, p.secret ? '<secret>' : p.value]);

describe('extractParameters', () => {
  it('takes query pairs in order, repeated keys each, bracket indices collapsed', () => {
    const event = makeEvent({ endpoint: '/s', query: 'q=red+shoes&tag=a&tag=b&items%5B0%5D%5Bqty%5D=2&flag&&empty=' });
    expect(pairs(event)).toEqual([
      ['query', 'q', 'red shoes'],
      ['query', 'tag', 'a'],
      ['query', 'tag', 'b'],
      ['query', 'items[][qty]', '2'],
      ['query', 'flag', ''],
      ['query', 'empty', ''],
    ]);
  });

  it('decodes bad percent-encoding safely', () => {
    const event = makeEvent({ endpoint: '/s', query: 'q=100%&x=%E0%A4%A&%zz=1' });
    expect(pairs(event)).toEqual([
      ['query', 'q', '100%'],
      ['query', 'x', '\ufffd%A'],
      ['query', '%zz', '1'],
    ]);
  });

  it('reads form bodies and skips hashed secrets as values', () => {
    const event = makeEvent({
      endpoint: '/login',
      method: 'POST',
      body: 'username=ann%40example.org&password=h:abcdefghijklmnopqrstuv&remember=on',
      mimeType: 'application/x-www-form-urlencoded',
    });
    const params = extractParameters(event, config);
    expect(pairs(event)).toEqual([
      ['form', 'username', 'ann@example.org'],
      ['form', 'password', '<secret>'],
      ['form', 'remember', 'on'],
    ]);
    const password = params[1];
    expect(password).toMatchObject({ secret: true, value: '', length: 0 });
  });

  it('drops the last form pair when the capture cut the body sample', () => {
    const event = makeEvent({ endpoint: '/f', method: 'POST', body: 'a=1&b=tru', mimeType: 'application/x-www-form-urlencoded', flags: ['body_sample_capped'] });
    expect(pairs(event)).toEqual([['form', 'a', '1']]);
  });

  it('walks nested JSON with dotted paths and collapsed array indices', () => {
    const body = JSON.stringify({
      user: { name: 'Zoë', address: { city: 'Kraków' }, token: 'h:abcdefghijklmnopqrstuv' },
      items: [{ qty: 2, sku: 'A-1' }, { qty: 3 }],
      tags: ['a', 'b'],
      ok: true,
      none: null,
      n: 1.5,
      empty: {},
    });
    const event = makeEvent({ endpoint: '/p', method: 'POST', body, mimeType: 'application/json' });
    expect(pairs(event)).toEqual([
      ['json', 'user.name', 'Zoë'],
      ['json', 'user.address.city', 'Kraków'],
      ['json', 'user.token', '<secret>'],
      ['json', 'items[].qty', '2'],
      ['json', 'items[].sku', 'A-1'],
      ['json', 'items[].qty', '3'],
      ['json', 'tags[]', 'a'],
      ['json', 'tags[]', 'b'],
      ['json', 'ok', 'true'],
      ['json', 'none', 'null'],
      ['json', 'n', '1.5'],
    ]);
  });

  it('names root arrays and scalars', () => {
    expect(pairs(makeEvent({ endpoint: '/b', method: 'POST', body: '[{"id":1},{"id":2}]', mimeType: 'application/json' }))).toEqual([
      ['json', '[].id', '1'],
      ['json', '[].id', '2'],
    ]);
    expect(pairs(makeEvent({ endpoint: '/b', method: 'POST', body: '"x"', mimeType: 'application/vnd.api+json' }))).toEqual([['json', '$', 'x']]);
  });

  it('sniffs untyped bodies as capture does, and ignores other media types', () => {
    expect(pairs(makeEvent({ endpoint: '/u', method: 'POST', body: ' {"a":1}' }))).toEqual([['json', 'a', '1']]);
    expect(pairs(makeEvent({ endpoint: '/u', method: 'POST', body: 'a=1&b=2' }))).toEqual([
      ['form', 'a', '1'],
      ['form', 'b', '2'],
    ]);
    expect(pairs(makeEvent({ endpoint: '/u', method: 'POST', body: '<a>1</a>', mimeType: 'application/xml' }))).toEqual([]);
  });

  it('takes configured headers only, never secret ones', () => {
    const event = makeEvent({
      endpoint: '/h',
      headers: { 'user-agent': 'curl/8.5.0', accept: '*/*', authorization: 'Bearer h:abcdefghijklmnopqrstuv', 'x-trace': 'h:abcdefghijklmnopqrstuv' },
    });
    const c = parameterProfilesConfigSchema.parse({ headerNames: ['User-Agent', 'accept', 'x-trace'] });
    expect(pairs(event, c)).toEqual([
      ['header', 'user-agent', 'curl/8.5.0'],
      ['header', 'accept', '*/*'],
    ]);
    expect(() => parameterProfilesConfigSchema.parse({ headerNames: ['Authorization'] })).toThrow(/must not list the secret header/);
  });

  it('counts invalid, oversized, deep and wide bodies without throwing', () => {
    const counters = new Counters();
    const c = parameterProfilesConfigSchema.parse({ maxBodyBytes: 300_000, maxJsonDepth: 3, maxJsonKeys: 50, maxParamsPerRequest: 20 });
    const json = (body: string) => makeEvent({ endpoint: '/j', method: 'POST', body, mimeType: 'application/json' });
    expect(extractParameters(json('{"a": [1, 2'), c, counters)).toEqual([]);
    expect(extractParameters(json(`{"a":"${'x'.repeat(400_000)}"}`), c, counters)).toEqual([]);
    // Deep enough to exhaust a recursive parser; either way it yields nothing and is counted.
    expect(extractParameters(json('['.repeat(100_000) + ']'.repeat(100_000)), c, counters)).toEqual([]);
    expect(extractParameters(json('{"a":{"b":{"c":{"d":1}}},"e":2}'), c, counters).map((p) => p.name)).toEqual(['e']);
    expect(extractParameters(json(JSON.stringify(Array.from({ length: 100 }, (_, i) => i))), c, counters)).toHaveLength(20);
    expect(counters.snapshot()).toEqual({
      anomaly_parameter_bodies_oversized_total: 1,
      anomaly_parameter_json_invalid_total: 1,
      anomaly_parameter_json_truncated_total: 2,
      anomaly_parameter_requests_truncated_total: 1,
    });
  });

  it('truncates long names and values but keeps the true length', () => {
    const c = parameterProfilesConfigSchema.parse({ maxNameLength: 8, maxValueLength: 16 });
    const [param] = extractParameters(makeEvent({ endpoint: '/t', query: `${'k'.repeat(50)}=${'v'.repeat(5000)}` }), c);
    expect(param).toMatchObject({ name: 'kkkkkkkk', value: 'v'.repeat(16), length: 5000 });
  });

  it('never throws on random bytes anywhere', () => {
    let seed = 7;
    const byte = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    const junk = (n: number): string => Buffer.from(Array.from({ length: n }, byte)).toString('latin1');
    for (let i = 0; i < 300; i++) {
      const event = makeEvent({
        endpoint: '/x',
        method: 'POST',
        query: junk(i % 64),
        body: i % 3 === 0 ? `{"a":${junk(i % 50)}` : junk(i % 200),
        ...(i % 2 === 0 ? { mimeType: 'application/json' } : {}),
        headers: { 'user-agent': junk(i % 30) },
      });
      expect(() => extractParameters(event, config)).not.toThrow();
    }
  });
});
