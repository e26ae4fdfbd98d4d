import { MemoryStateStore } from '@sidetap/bus';
import { Counters } from '@sidetap/core';
import type { Event } from '@sidetap/core';
import { detectAll } from '../../testEngine';
import { event } from '../../testEvents';
import type { DetectorEnv } from '../../detector';
import { createSensitiveDataExposure, sensitiveDataExposureConfigSchema } from './sensitiveDataExposure';

const T0 = Date.UTC(2024, 4, 1, 0, 0, 0);
const HOUR = 3_600_000;
const LEARN = { learnMs: 24 * HOUR };

const b64url = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWT = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({ sub: 'u-77', exp: 1900000000 })}.ZmFrZS1zaWduYXR1cmUtZm9yLXNpZGV0YXAtdGVzdHM`;
const CARD = '4111111111111111';
const AWS_ID = 'AKIAIOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const PEM = `-----BEGIN EC PRIVATE KEY-----\n${'MHcCAQEEIFAKEfakeFAKEfakeSIDETAPtestKEYnotREAL0123456789abcdef'.repeat(3)}\n-----END EC PRIVATE KEY-----`;

function respond(s: { id: string; at: number; path: string; endpoint?: string; actor?: string; user?: string; body: string }): Event {
  const e = event({ id: s.id, at: s.at, path: s.path, endpoint: s.endpoint ?? s.path, ...(s.actor !== undefined ? { actor: s.actor } : {}), ...(s.user !== undefined ? { user: s.user } : {}) });
  e.http.response!.body = { bytes: s.body.length, content: s.body };
  e.http.response!.mime_type = 'application/json';
  return e;
}

describe('sensitive_data_exposure', () => {
  it('reports a card number in a response, masked, while learning too', async () => {
    const counters = new Counters();
    const f = await detectAll([respond({ id: 'x1', at: T0, path: '/api/v1/orders/9', endpoint: '/api/v1/orders/{id}', user: 'alice', body: JSON.stringify({ id: 9, payment: { card: CARD } }) })], LEARN, counters);
    expect(f).toHaveLength(1);
    const x = f[0]!;
    expect(x.rule).toEqual({ id: 'sensitive_data_exposure.payment', name: 'Payment data in a response', category: 'sensitive_data_exposure' });
    expect(x.event.severity).toBe(3);
    expect(x.sidetap.owasp_api).toBe('API3:2023');
    expect(x.threat?.technique.id).toEqual(['T1213']);
    expect(x.sidetap.endpoint).toBe('/api/v1/orders/{id}');
    expect(x.user?.name).toBe('alice');
    expect(x.sidetap.evidence.observed).toBe('1 card number in $.payment.card');
    expect(x.sidetap.evidence.excerpts).toContain('card 4111 **** **** 1111 in $.payment.card');
    expect(x.message).toBe('GET /api/v1/orders/{id} returned 1 card number to alice.');
    expect(JSON.stringify(f)).not.toContain(CARD);
    expect(counters.get('anomaly_sensitive_hits_total{kind="card"}')).toBe(1);
  });

  it('makes one finding per kind group, and never quotes a raw secret', async () => {
    const body = JSON.stringify({
      creds: { AccessKeyId: AWS_ID, SecretAccessKey: AWS_SECRET },
      ssh: PEM,
      session: JWT,
      billing: { card: '5555 5555 5555 4444', iban: 'DE89370400440532013000' },
      owner: { ssn: '512-34-6789' },
    });
    const f = await detectAll([respond({ id: 'x2', at: T0, path: '/api/v1/debug', body })], LEARN);
    expect(f.map((x) => [x.rule.id, x.event.severity])).toEqual([
      ['sensitive_data_exposure.secret', 4],
      ['sensitive_data_exposure.credential', 2],
      ['sensitive_data_exposure.payment', 3],
      ['sensitive_data_exposure.national_id', 3],
    ]);
    expect(f[0]!.threat?.technique.id).toEqual(['T1552', 'T1552.004']);
    const json = JSON.stringify(f);
    for (const raw of [AWS_ID, AWS_SECRET, 'MHcCAQEEIFAKEfake', JWT, JWT.split('.')[1]!, '5555555555554444', '5555 5555 5555 4444', 'DE89370400440532013000', '512-34-6789', '512346789']) {
      expect(json).not.toContain(raw);
    }
  });

  it('leaves JWTs that login and token endpoints issue alone', async () => {
    const issued = respond({ id: 'l1', at: T0, path: '/oauth2/token', body: JSON.stringify({ jwt: JWT, expires_in: 3600 }) });
    const leaked = respond({ id: 'l2', at: T0 + 1000, path: '/api/v1/users/5', endpoint: '/api/v1/users/{id}', body: JSON.stringify({ id: 5, last_token: JWT }) });
    const f = await detectAll([issued, leaked], LEARN);
    expect(f.map((x) => x.sidetap.endpoint)).toEqual(['/api/v1/users/{id}']);
  });

  it('reports an actor once per endpoint and kinds within the cooldown', async () => {
    const body = JSON.stringify({ card: CARD });
    const f = await detectAll(
      [0, 1, 2].map((k) => respond({ id: `c${k}`, at: T0 + k * 60_000, path: '/api/v1/cards', actor: 'jwt:bob', body })),
      LEARN,
    );
    expect(f).toHaveLength(1);
  });

  describe('after learning', () => {
    // A wallet endpoint that returns its user's card in every response, and a catalogue that never returned any.
    const wallet = (id: string, at: number, actor: string): Event =>
      respond({ id, at, path: '/api/v1/me/wallet', actor, body: JSON.stringify({ cards: [{ number: CARD, exp: '12/29' }] }) });
    const catalogue = (id: string, at: number, body: string): Event => respond({ id, at, path: '/api/v1/products', actor: 'ip:198.51.100.4', body });
    const learning = Array.from({ length: 30 }, (_, i) => [wallet(`w${i}`, T0 + i * 60_000, `jwt:user${i}`), catalogue(`p${i}`, T0 + i * 60_000, JSON.stringify({ items: [{ id: i, name: 'mug' }] }))]).flat();

    it('lowers what an endpoint routinely returned and reports it once per endpoint, and raises a kind it never returned', async () => {
      const later = T0 + 26 * HOUR;
      const f = await detectAll(
        [...learning, wallet('w-a', later, 'jwt:new1'), wallet('w-b', later + 60_000, 'jwt:new2'), catalogue('p-x', later, JSON.stringify({ items: [{ id: 1, card: CARD }] }))],
        LEARN,
      );
      const after = f.filter((x) => Date.parse(x['@timestamp']) >= later);
      expect(after.map((x) => [x.sidetap.endpoint, x.event.severity])).toEqual([
        ['/api/v1/me/wallet', 2],
        ['/api/v1/products', 4],
      ]);
      expect(after[0]!.sidetap.evidence.expected).toBe('card numbers in 100% of 30 learned responses (routine here)');
      expect(after[0]!.message).toContain('routinely returns them');
      expect(after[1]!.sidetap.evidence.expected).toBe('no card numbers: none in 30 learned responses');
      expect(after[1]!.message).toContain('this endpoint never returned card numbers in 30 learned responses');
    });

    it('keeps what it learned in its model, and starts from an imported one', async () => {
      const counters = new Counters();
      const env: DetectorEnv = { state: new MemoryStateStore({ kind: 'memory' }), counters, learning: (t) => t < T0 + 24 * HOUR };
      const config = sensitiveDataExposureConfigSchema.parse({});
      const trained = createSensitiveDataExposure(config, { counters });
      for (const e of learning) await trained.observe(e, Date.parse(e['@timestamp']), env);
      const model = JSON.parse(JSON.stringify(trained.exportModel!())) as unknown;
      expect(trained.modelSummary!()).toContain('GET /api/v1/me/wallet: card 100% of 30 responses');

      const loaded = createSensitiveDataExposure(config, { counters, model });
      const env2: DetectorEnv = { ...env, state: new MemoryStateStore({ kind: 'memory' }), learning: () => false };
      const f = await loaded.observe(wallet('w-c', T0 + 30 * HOUR, 'jwt:z'), T0 + 30 * HOUR, env2);
      expect(f.map((x) => x.severity)).toEqual([2]);
      expect(() => createSensitiveDataExposure(config, { counters, model: { format: 'sidetap-sensitive-data/1', endpoints: [{ endpoint: 'GET /x' }] } })).toThrow(
        /^model of sensitive_data_exposure: endpoints\.0\.responses: /,
      );
    });
  });

  it('reports a password field capture redacted at lower severity, saying so', async () => {
    const f = await detectAll([respond({ id: 'r1', at: T0, path: '/api/v1/users', body: JSON.stringify([{ name: 'a', password: 'h:AbCdEfGhIjKlMnOpQrStUv' }]) })], LEARN);
    expect(f.map((x) => [x.rule.id, x.event.severity, x.sidetap.evidence.observed])).toEqual([
      ['sensitive_data_exposure.credential', 1, '1 password or secret field in $[*].password (value redacted by capture)'],
    ]);
  });

  it('reports bulk personal data by count', async () => {
    const people = Array.from({ length: 250 }, (_, i) => ({ id: i, email: `person${i}@corp-mail.net` }));
    const f = await detectAll([respond({ id: 'b1', at: T0, path: '/api/v1/admin/users', body: JSON.stringify(people) })], LEARN);
    expect(f.map((x) => [x.rule.id, x.event.severity, x.sidetap.evidence.observed])).toEqual([
      ['sensitive_data_exposure.personal_bulk', 3, '250 email addresses in $[*].email'],
    ]);
    expect(await detectAll([respond({ id: 'b2', at: T0, path: '/api/v1/me', body: JSON.stringify(people.slice(0, 3)) })], LEARN)).toEqual([]);
  });

  it('shrugs off hostile and empty bodies', async () => {
    const bodies = ['', '{'.repeat(300_000), '4111 '.repeat(100_000), `${'eyJ'.repeat(10_000)}.`, '\ud800'.repeat(10_000)];
    const f = await detectAll(bodies.map((body, i) => respond({ id: `h${i}`, at: T0 + i, path: '/x', body })), LEARN);
    expect(f.every((x) => x.rule.category === 'sensitive_data_exposure')).toBe(true);
  });
});
