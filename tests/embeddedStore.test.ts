// The embedded store end to end: a replay fills it, `sidetap findings` and `sidetap timeline`
// read it back, and a second replay of the same capture changes neither answer.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '@sidetap/core';
import { readStoreRecordsSync } from '@sidetap/indexer';
import { runCli } from './helpers/runCli';
import type { CliRun } from './helpers/runCli';

const demo = join(__dirname, '..', 'fixtures/pcaps/demo.pcap');
const work = mkdtempSync(join(tmpdir(), 'sidetap-embedded-store-'));
const store = join(work, 'store');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (argv: string[]): Promise<CliRun> => runCli(argv, 'embedded-store-test-key-0123456789');
const parse = (ndjson: string): Finding[] => ndjson.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Finding);

let first: Finding[];
beforeAll(async () => {
  const r = await run(['replay', demo, '--store', store, '--json']);
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as { store: Record<string, string>; findings: { total: number } };
  expect(doc.store).toEqual({ alert: join(store, 'findings'), session: join(store, 'sessions'), event: join(store, 'events') });
  for (const dir of Object.values(doc.store)) expect(readdirSync(dir).filter((n) => n.endsWith('.ndjson')).length).toBeGreaterThan(0);
  first = parse((await run(['findings', '--store', store, '--ndjson'])).stdout);
  expect(first.length).toBe(doc.findings.total);
}, 60_000);

it('lists what the replay found: the same findings the store holds, each once', () => {
  expect(first.length).toBeGreaterThan(3);
  expect(first).toEqual(readStoreRecordsSync<Finding>(store, 'alert'));
  expect(first.map((f) => f.rule.category)).toEqual(expect.arrayContaining(['sqli', 'enumeration', 'credential_stuffing']));
});

it('filters the replayed findings and shows them as a table', async () => {
  const sqli = parse((await run(['findings', '--store', store, '--ndjson', '--category', 'sqli', '--severity', 'high'])).stdout);
  expect(sqli.length).toBeGreaterThan(0);
  expect(sqli).toEqual(first.filter((f) => f.rule.category === 'sqli' && f.event.severity >= 3));
  const walk = first.find((f) => f.rule.category === 'enumeration')!;
  const user = walk.user!.id!;
  const table = await run(['findings', '--store', store, '--actor', user]);
  expect(table.code).toBe(0);
  const rows = table.stdout.trimEnd().split('\n').slice(1);
  expect(rows).toHaveLength(first.filter((f) => f.user?.id === user || f.sidetap.actor_key === `jwt:${user}`).length);
  expect(rows.some((l) => l.includes('enumeration') && l.includes(user) && l.includes(walk.sidetap.endpoint!))).toBe(true);
});

it('shows the actor timeline with the findings on its requests', async () => {
  const walk = first.find((f) => f.rule.category === 'enumeration')!;
  const r = await run(['timeline', walk.user!.id!, '--store', store]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`!! ${walk.rule.name}`);
  expect(r.stderr).toBe('');
});

it('changes neither answer when the same capture is replayed into the store again', async () => {
  const walk = first.find((f) => f.rule.category === 'enumeration')!;
  const before = await run(['timeline', walk.user!.id!, '--store', store]);
  expect((await run(['replay', demo, '--store', store])).code).toBe(0);
  expect(readStoreRecordsSync(store, 'alert').length).toBe(2 * first.length);
  expect(parse((await run(['findings', '--store', store, '--ndjson'])).stdout).map((f) => f.event.id)).toEqual(first.map((f) => f.event.id));
  expect((await run(['timeline', walk.user!.id!, '--store', store])).stdout).toBe(before.stdout);
}, 60_000);

it('names the missing events when timeline is asked of a store never replayed into', async () => {
  const r = await run(['timeline', 'x', '--store', join(work, 'missing')]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`${join(work, 'missing', 'events')}: no events stored`);
  expect(existsSync(join(work, 'missing'))).toBe(false);
});
