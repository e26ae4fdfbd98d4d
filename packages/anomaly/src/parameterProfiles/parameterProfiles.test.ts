// The profile set as a whole: presence, order, minimum samples, bounds, determinism, export and import.
import { Counters } from '@sidetap/core';
import type { Event } from '@sidetap/core';
import { ParameterProfiles } from './parameterProfiles';
import type { ParameterProfilesConfig } from './parameterProfilesConfig';
import { parameterProfilesConfigSchema } from './parameterProfilesConfig';
import { benignTraffic, makeEvent, productSearchWith } from './testTraffic';
import { Rng } from './testValues';

const config = (overrides: Partial<ParameterProfilesConfig> = {}): ParameterProfilesConfig => parameterProfilesConfigSchema.parse(overrides);
const search = (query: string, method = 'GET'): Event => makeEvent({ endpoint: '/search', method, query });

function trained(events: Event[], c = config(), counters = new Counters()): ParameterProfiles {
  const profiles = new ParameterProfiles(c, { counters });
  for (const e of events) profiles.learn(e);
  return profiles;
}

/** n requests to /search: q always first, page in half of them, then sort in a third. */
function searches(n: number): Event[] {
  return Array.from({ length: n }, (_, i) => {
    const parts = [`q=item${i}`];
    if (i % 2 === 0) parts.push(`page=${1 + (i % 7)}`);
    if (i % 3 === 0) parts.push(`sort=${['asc', 'desc'][i % 2] ?? 'asc'}`);
    return search(parts.join('&'));
  });
}

describe('ParameterProfiles presence and order', () => {
  const profiles = trained(searches(300));

  it('is quiet on requests like the training ones', () => {
    expect(profiles.score(search('q=item7&page=3&sort=desc'))).toEqual([]);
    expect(profiles.score(search('q=item8'))).toEqual([]);
  });

  it('reports a parameter every request carried as missing', () => {
    const [d] = profiles.score(search('page=2'));
    expect(d).toMatchObject({ parameter: 'q', location: 'query', model: 'presence', excerpt: '' });
    expect(d?.reason).toBe('Query parameter q is missing, though 300 of 300 learned requests carried it.');
    expect(d?.score).toBeCloseTo(1 - 1 / 301, 12);
  });

  it('reports a parameter never seen, once however often it repeats', () => {
    const deviations = profiles.score(search('q=item1&debug=1&debug=2'));
    expect(deviations).toHaveLength(1);
    expect(deviations[0]).toMatchObject({ parameter: 'debug', model: 'presence', excerpt: '1' });
  });

  it('reports parameters out of their learned order', () => {
    const deviations = profiles.score(search('page=2&q=item1'));
    expect(deviations).toEqual([
      expect.objectContaining({
        parameter: 'page',
        model: 'order',
        excerpt: 'page, q',
        reason: 'Query parameter page came before q, which preceded it in 150 of 150 learned requests with both.',
      }),
    ]);
  });

  it('keeps endpoints apart by method', () => {
    expect(profiles.score(search('zzz=1', 'POST'))).toEqual([]);
  });
});

describe('ParameterProfiles minimum samples', () => {
  it('scores nothing before minSamples, then scores', () => {
    const c = config({ minSamples: 30 });
    const ids = Array.from({ length: 200 }, (_, i) => search(`id=${1000 + i * 37}`));
    const attack = search('id=1%27+UNION+SELECT+password+FROM+users--&extra=1');
    expect(trained(ids.slice(0, 29), c).score(attack)).toEqual([]);
    // At 30 values the length and character models speak; a never-seen character or parameter
    // needs about 1 / (1 − threshold) values before its Good–Turing p is small enough.
    expect(trained(ids.slice(0, 30), c).score(attack).map((d) => d.model).sort()).toEqual(['chars', 'length']);
    expect(trained(ids, c).score(attack).map((d) => `${d.parameter}/${d.model}`).sort()).toEqual(['extra/presence', 'id/chars', 'id/length', 'id/shape']);
  });

  it('reports nothing for endpoints never learned', () => {
    expect(trained(searches(100)).score(makeEvent({ endpoint: '/other', query: 'x=1' }))).toEqual([]);
  });
});

describe('ParameterProfiles bounds', () => {
  it('counts endpoints refused once the table is full', () => {
    const counters = new Counters();
    const profiles = trained([search('q=1'), makeEvent({ endpoint: '/b', query: 'q=1' }), makeEvent({ endpoint: '/c' })], config({ maxEndpoints: 1 }), counters);
    expect(counters.get('anomaly_parameter_endpoints_dropped_total')).toBe(2);
    expect(profiles.exportModel().endpoints.map((e) => e.endpoint)).toEqual(['/search']);
  });

  it('counts parameters refused, and then stops calling unknown ones unexpected', () => {
    const counters = new Counters();
    const events = Array.from({ length: 100 }, (_, i) => search(`a=1&b=2&c${i % 3}=3`));
    const profiles = trained(events, config({ maxParamsPerEndpoint: 3 }), counters);
    expect(counters.get('anomaly_parameter_parameters_dropped_total')).toBe(66);
    expect(profiles.score(search('a=1&b=2&zzz=3'))).toEqual([]);
    expect(profiles.summary()).toContain('66 parameters not learned (table full)');
  });

  it('drops an enumeration set that outgrows maxEnumValues, and counts it', () => {
    const counters = new Counters();
    const profiles = trained(Array.from({ length: 100 }, (_, i) => search(`v=${i}`)), config({ maxEnumValues: 16, enumMaxDistinct: 8 }), counters);
    expect(counters.get('anomaly_parameter_enum_sets_dropped_total')).toBe(1);
    expect(profiles.exportModel().endpoints[0]?.parameters[0]?.enum).toBeNull();
  });

  it('counts order pairs refused', () => {
    const counters = new Counters();
    trained([search('a=1&b=2&c=3&d=4')], config({ maxOrderPairsPerEndpoint: 4 }), counters);
    expect(counters.get('anomaly_parameter_order_pairs_dropped_total')).toBe(2);
  });

  it('returns at most maxDeviationsPerEvent, highest first, and counts the rest', () => {
    const counters = new Counters();
    const profiles = trained(searches(300), config({ maxDeviationsPerEvent: 2 }), counters);
    const deviations = profiles.score(search('x1=1&x2=2&x3=3&x4=4'));
    expect(deviations).toHaveLength(2);
    expect(counters.get('anomaly_parameter_deviations_dropped_total')).toBe(3);
  });

  it('does not call parameters missing when extraction was cut short', () => {
    const profiles = trained(Array.from({ length: 100 }, (_, i) => makeEvent({ endpoint: '/j', method: 'POST', body: `{"a":${i},"b":"x"}`, mimeType: 'application/json' })));
    expect(profiles.score(makeEvent({ endpoint: '/j', method: 'POST', body: '{"a":1,"b":', mimeType: 'application/json' }))).toEqual([]);
    expect(profiles.score(makeEvent({ endpoint: '/j', method: 'POST', body: '{"a":1}', mimeType: 'application/json' })).map((d) => d.parameter)).toEqual(['b']);
  });

  it('never throws on hostile requests, learning or scoring', () => {
    const profiles = trained(searches(100));
    const hostile = [
      search('%'.repeat(10_000)),
      search('q=' + '%ff'.repeat(5000)),
      search(Array.from({ length: 5000 }, (_, i) => `k${i}=${i}`).join('&')),
      makeEvent({ endpoint: '/search', method: 'GET', body: '['.repeat(200_000), mimeType: 'application/json' }),
      makeEvent({ endpoint: '/search', method: 'GET', body: `{"${'k'.repeat(100_000)}":1}`, mimeType: 'application/json' }),
      makeEvent({ endpoint: '/search', method: 'GET', query: 'q=\ud800\udc00\ud800', headers: { 'user-agent': '\u0000'.repeat(10_000) } }),
    ];
    for (const e of hostile) {
      expect(() => profiles.score(e)).not.toThrow();
      expect(() => profiles.learn(e)).not.toThrow();
    }
  });
});

describe('ParameterProfiles models', () => {
  const events = benignTraffic(3, 1500, 'train');
  const probes = [...benignTraffic(4, 300, 'holdout'), search('q=%3Cscript%3E'), productSearchWith(new Rng(1), [['sort', 'x'], ['q', 'A'.repeat(3000)]])];

  it('is deterministic: the same training order gives the same model', () => {
    expect(JSON.stringify(trained(events).exportModel())).toBe(JSON.stringify(trained(events).exportModel()));
  });

  it('round-trips through JSON text with identical scores', () => {
    const original = trained(events);
    const text = JSON.stringify(original.exportModel());
    const imported = ParameterProfiles.importModel(JSON.parse(text), config(), { counters: new Counters() });
    expect(JSON.stringify(imported.exportModel())).toBe(text);
    expect(imported.summary()).toBe(original.summary());
    let deviations = 0;
    for (const probe of probes) {
      const expected = original.score(probe);
      deviations += expected.length;
      expect(imported.score(probe)).toEqual(expected);
    }
    expect(deviations).toBeGreaterThan(2);
    // Learning goes on from where the export left off.
    for (const e of benignTraffic(5, 200, 'holdout')) {
      original.learn(e);
      imported.learn(e);
    }
    expect(JSON.stringify(imported.exportModel())).toBe(JSON.stringify(original.exportModel()));
  });

  it('writes a readable, versioned document', () => {
    const doc = trained(searches(300)).exportModel();
    expect(doc.format).toBe('sidetap-parameter-profiles/1');
    const endpoint = doc.endpoints[0];
    expect(endpoint).toMatchObject({ method: 'GET', endpoint: '/search', requests: 300, parametersDropped: 0 });
    expect(endpoint?.parameters.map((p) => `${p.location} ${p.name} ${p.requests}`)).toEqual(['query q 300', 'query page 150', 'query sort 100']);
    expect(endpoint?.parameters[2]).toMatchObject({
      enum: [
        { value: 'asc', count: 50 },
        { value: 'desc', count: 50 },
      ],
      shape: { features: { lower: 100 }, formats: { letters: 100, word: 100, printable: 100 } },
      length: { mean: 3.5, variance: 0.25, max: 4 },
    });
    expect(endpoint?.order).toContainEqual({ location: 'query', before: 'q', after: 'page', requests: 150 });
  });

  it('refuses invalid documents with a sentence naming the field', () => {
    const good = trained(searches(50)).exportModel();
    const load = (doc: unknown, c = config()) => () => ParameterProfiles.importModel(doc, c, { counters: new Counters() });
    const edit = (change: (d: ReturnType<typeof structuredClone<typeof good>>) => void): unknown => {
      const copy = structuredClone(good);
      change(copy);
      return copy;
    };
    expect(load({ ...good, format: 'sidetap-parameter-profiles/2' })).toThrow(/^parameter profiles model: format: /);
    expect(load(null)).toThrow(/parameter profiles model: document/);
    expect(load(edit((d) => d.endpoints[0]?.parameters[0]?.chars[0]?.bins.pop()))).toThrow(/endpoints\.0\.parameters\.0\.chars\.0\.bins/);
    expect(load(edit((d) => d.endpoints[0]?.parameters.push(structuredClone(d.endpoints[0].parameters[0]!))))).toThrow(/parameter query "q" appears twice/);
    expect(load(edit((d) => d.endpoints[0]?.order.push({ location: 'query', before: 'q', after: 'nope', requests: 1 })))).toThrow(/does not name two parameters/);
    expect(load(edit((d) => ((d.endpoints[0]!.parameters[0]!.requests = 10_000))))).toThrow(/exceeds the endpoint's 50 requests/);
    expect(load(good, config({ maxEndpoints: 1, maxParamsPerEndpoint: 2 }))).toThrow(/3 parameters exceed maxParamsPerEndpoint \(2\)/);
    expect(load(edit((d) => ((d.endpoints[0]!.parameters[0]!.shape.features as Record<string, number>)['bogus'] = 1)))).toThrow(/shape\.features/);
  });

  it('summarises what it learned per endpoint and parameter', () => {
    const summary = trained(searches(300)).summary();
    expect(summary).toContain('GET /search: 300 requests, 3 parameters');
    expect(summary).toContain('  query sort: in 33% of requests; 100 values');
    expect(summary).toContain('    enumeration: one of "asc", "desc"');
    expect(summary).toContain('  order: q before page (150), q before sort (100), page before sort (50)');
    expect(new ParameterProfiles(config(), { counters: new Counters() }).summary()).toBe('No endpoints learned yet.');
  });

  it('escapes names from traffic before they reach a terminal', () => {
    const profiles = trained([search('%1B%5B2Jx=1')]);
    expect(profiles.summary()).toContain('  query \\u001b[2Jx: in 100% of requests');
    expect(profiles.summary()).not.toContain('\u001b');
  });
});
