// The sessionizer end to end on a capture of users logging in and refreshing tokens: one
// timeline per person across their tokens, kept apart behind one NAT address, split into the
// sessions the scenario made, and shown by `sidetap timeline`. Expectations come from the
// fixture's generated truth, not from an earlier run of sidetap.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Event, SessionSummary } from '@sidetap/core';
import { main } from '@sidetap/cli';
import { readStoreRecordsSync } from '@sidetap/indexer';

const root = join(__dirname, '..');
const capture = join(root, 'fixtures/pcaps/sessions.pcap');
const truth = JSON.parse(readFileSync(join(root, 'fixtures/truth/sessions.json'), 'utf8')) as {
  exchanges: unknown[];
  timelines: { timeline: string; sessions: number; requests: number; ip: string }[];
};
const store = mkdtempSync(join(tmpdir(), 'sidetap-sessions-'));
afterAll(() => rmSync(store, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  let stderr = '';
  process.env.SIDETAP_REDACTION_KEY = 'sessions-test-key-0123456789';
  const code = await main(argv, { stdout: out, stderr: { isTTY: false, write: (s: string) => ((stderr += s), true) } });
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr };
}


let events: Event[];
let sessions: SessionSummary[];
beforeAll(async () => {
  const r = await run(['replay', capture, '--store', store]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/sessions: \d+; requests by actor kind/);
  expect(r.stdout).toContain('IP Geolocation by DB-IP');
  events = readStoreRecordsSync<Event>(store, 'event');
  sessions = readStoreRecordsSync<SessionSummary>(store, 'session');
}, 60_000);

it('stores one event per exchange', () => {
  expect(events).toHaveLength(truth.exchanges.length);
});

it.each(truth.timelines.map((t) => [t.timeline, t]))('puts %s on one timeline across the tokens of its login and refresh', (_, t) => {
  const mine = events.filter((e) => e.sidetap.session.timeline === t.timeline);
  expect(mine).toHaveLength(t.requests);
  // More than one credential (the token the login issued and the one the refresh issued).
  expect(new Set(mine.map((e) => e.sidetap.credential?.hash)).size).toBe(2);
  expect(new Set(mine.map((e) => e.sidetap.session.id)).size).toBe(t.sessions);
  expect(sessions.filter((s) => s.sidetap.session.timeline === t.timeline)).toHaveLength(t.sessions);
  expect(mine.every((e) => e.user?.name === t.timeline.slice('user:'.length))).toBe(true);
});

it('keeps two people behind one address apart', () => {
  const shared = truth.timelines.filter((t) => t.ip === truth.timelines.find((u) => truth.timelines.filter((v) => v.ip === u.ip).length > 1)?.ip);
  expect(shared.length).toBe(2);
  const seen = new Set(events.filter((e) => e.source.ip === shared[0]!.ip && e.sidetap.session.timeline.startsWith('user:')).map((e) => e.sidetap.session.timeline));
  expect([...seen].sort()).toEqual(shared.map((t) => t.timeline).sort());
});

it('leaves browsing before a login on the browser session, not the user', () => {
  const users = new Set(truth.timelines.map((t) => t.timeline));
  const anonymous = events.filter((e) => !users.has(e.sidetap.session.timeline));
  expect(anonymous.length).toBe(truth.exchanges.length - truth.timelines.reduce((n, t) => n + t.requests, 0));
  expect(anonymous.every((e) => e.sidetap.actor.kind === 'cookie')).toBe(true);
});

it('shows a user\'s timeline with `sidetap timeline`, by name', async () => {
  const t = truth.timelines[0]!;
  const name = t.timeline.slice('user:'.length);
  const r = await run(['timeline', name, '--store', store]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`timeline of ${name}: ${t.timeline}`);
  expect(r.stdout).toContain(`${t.sessions} session`);
  expect(r.stdout).toContain(`${t.requests} requests:`);
  const json = await run(['timeline', name, '--store', store, '--json']);
  const doc = JSON.parse(json.stdout) as { events: unknown[]; sessions: unknown[] };
  expect(doc.events).toHaveLength(t.requests);
  expect(doc.sessions).toHaveLength(t.sessions);
});

it('says so, with exit status 1, for an actor it has not seen; and exit 2 for a store without events', async () => {
  const r = await run(['timeline', 'nobody@example.org', '--store', store]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('no requests of "nobody@example.org"');
  const empty = await run(['timeline', 'x', '--store', join(store, 'missing')]);
  expect(empty.code).toBe(2);
  expect(empty.stderr).toContain('events: no events stored');
});

it('names endpoints after the OpenAPI spec when one is given, matching what it learns without one', async () => {
  const spec = join(store, 'shop.yaml');
  writeFileSync(
    spec,
    [
      'openapi: 3.0.3',
      'info: { title: shop, version: "1" }',
      'servers: [{ url: "https://api.example.com/api/v1" }]',
      'paths:',
      '  /products/{productId}:',
      '    get: { responses: { "200": { description: ok } } }',
      '  /auth/login:',
      '    post: { responses: { "200": { description: ok } } }',
      '  /auth/refresh:',
      '    post: { responses: { "200": { description: ok } } }',
    ].join('\n'),
  );
  const specStore = join(store, 'with-spec');
  const r = await run(['replay', capture, '--store', specStore, '--spec', spec]);
  expect(r.code).toBe(0);
  const withSpec = readStoreRecordsSync<Event>(specStore, 'event');
  const templates = new Set(withSpec.map((e) => e.sidetap.endpoint));
  expect([...templates].sort()).toEqual(['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/products/{productId}']);
  const normalise = (t: string) => t.replace(/\{[^}]+\}/g, '{}');
  const learned = new Map(events.map((e) => [e.event.id, normalise(e.sidetap.endpoint)]));
  for (const e of withSpec) expect(normalise(e.sidetap.endpoint)).toBe(learned.get(e.event.id));
});
