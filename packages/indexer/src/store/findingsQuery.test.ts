import { rmSync } from 'node:fs';
import { LocalStore } from '../localStore';
import { emptyQueryStats, newestFindingTime, queryFindingLines, queryFindings } from './findingsQuery';
import type { FindingsFilter } from './findingsQuery';
import { finding, tempStore } from './testFindings';

const dir = tempStore();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const t = (minute: number) => new Date(Date.UTC(2024, 4, 1, 12, minute)).toISOString();
const stored = [
  finding({ n: 1, time: t(0), severity: 1, category: 'sqli', actor: 'cookie:h:AbC123', ip: '203.0.113.9', endpoint: '/api/v1/products' }),
  finding({ n: 2, time: t(10), severity: 3, category: 'enumeration', actor: 'jwt:alice', user: 'alice', ip: '10.0.0.5', endpoint: '/api/v1/accounts/{id}' }),
  finding({ n: 3, time: t(20), severity: 4, category: 'credential_stuffing', actor: 'ip:198.51.100.7', ip: '198.51.100.7', endpoint: '/api/v1/auth/login' }),
  finding({ n: 4, time: t(30), severity: 2, category: 'distributed_attack', endpoint: '/api/v1/auth/login' }),
  finding({ n: 5, time: t(40), severity: 3, category: 'sqli', actor: 'jwt:bob', user: 'bob', ip: '10.0.0.6', endpoint: '/api/v1/accounts/{id}/orders' }),
];

beforeAll(async () => {
  const s = new LocalStore(dir);
  await s.append('alert', stored.slice(0, 3));
  await s.close();
  // A second run (a replay of the same capture) stores finding 2 again, then the rest.
  const again = new LocalStore(dir);
  await again.append('alert', [stored[1]!, ...stored.slice(3)]);
  await again.close();
});

async function numbers(filter: FindingsFilter): Promise<number[]> {
  const out: number[] = [];
  for await (const m of queryFindings(dir, filter)) out.push(parseInt(m.id, 16));
  return out;
}

it('lists every finding once, in write order, with the fields the table shows', async () => {
  const stats = emptyQueryStats();
  const all = [];
  for await (const m of queryFindings(dir, {}, { stats })) all.push(m);
  expect(all.map((m) => parseInt(m.id, 16))).toEqual([1, 2, 3, 4, 5]);
  expect(stats).toEqual({ matched: 5, scanned: 6, duplicates: 1, parsed: 0 });
  expect(all[1]).toMatchObject({
    time: Date.parse(t(10)),
    severity: 3,
    category: 'enumeration',
    rule: 'enumeration.rule',
    actorKey: 'jwt:alice',
    userName: 'alice',
    sourceIp: '10.0.0.5',
    endpoint: '/api/v1/accounts/{id}',
    message: stored[1]!.message,
  });
  expect(all[1]!.json).toBeUndefined();
});

it('filters by category, severity (at least or exactly), endpoint (exact or with *) and time', async () => {
  expect(await numbers({ categories: ['sqli'] })).toEqual([1, 5]);
  expect(await numbers({ categories: ['sqli', 'distributed_attack'] })).toEqual([1, 4, 5]);
  expect(await numbers({ minSeverity: 3 })).toEqual([2, 3, 5]);
  expect(await numbers({ severity: 3 })).toEqual([2, 5]);
  expect(await numbers({ endpoint: '/api/v1/auth/login' })).toEqual([3, 4]);
  expect(await numbers({ endpoint: '/api/v1/accounts/*' })).toEqual([2, 5]);
  expect(await numbers({ endpoint: '/api/v1/accounts/{id}' })).toEqual([2]);
  expect(await numbers({ since: Date.parse(t(10)), until: Date.parse(t(30)) })).toEqual([2, 3]);
  expect(await numbers({ categories: ['sqli'], minSeverity: 2 })).toEqual([5]);
});

it('matches an actor as the timeline does: user, user:<name>, actor key, hashed identity or address', async () => {
  expect(await numbers({ actor: 'alice' })).toEqual([2]);
  expect(await numbers({ actor: 'user:bob' })).toEqual([5]);
  expect(await numbers({ actor: 'jwt:alice' })).toEqual([2]);
  expect(await numbers({ actor: 'h:AbC123' })).toEqual([1]);
  expect(await numbers({ actor: '198.51.100.7' })).toEqual([3]);
  expect(await numbers({ actor: '10.0.0.6' })).toEqual([5]);
  expect(await numbers({ actor: 'mallory' })).toEqual([]);
});

it('stops at the limit but counts every match', async () => {
  const stats = emptyQueryStats();
  const got = [];
  for await (const m of queryFindings(dir, { limit: 2 }, { stats })) got.push(m.id);
  expect(got).toHaveLength(2);
  expect(stats.matched).toBe(5);
});

it('gives each match its stored line with json', async () => {
  const lines = [];
  for await (const m of queryFindings(dir, { minSeverity: 3 }, { json: true })) lines.push(JSON.parse(m.json!.toString('utf8')));
  expect(lines).toEqual([stored[1], stored[2], stored[4]]);
});

it('knows the newest finding time, and nothing of an empty store', () => {
  expect(newestFindingTime(dir)).toBe(Date.parse(t(40)));
  expect(newestFindingTime(`${dir}/missing`)).toBeUndefined();
});

it('gives the matches as NDJSON in a few buffers, newlines included', async () => {
  const buffers: Buffer[] = [];
  for await (const b of queryFindingLines(dir, {})) buffers.push(b);
  const text = Buffer.concat(buffers).toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  expect(text.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(stored);
  // Neighbours are read together: one buffer per segment here.
  expect(buffers).toHaveLength(2);
  const some: Buffer[] = [];
  for await (const b of queryFindingLines(dir, { categories: ['sqli'], limit: 1 })) some.push(b);
  expect(Buffer.concat(some).toString('utf8')).toBe(JSON.stringify(stored[0]) + '\n');
});
