import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Finding } from '@sidetap/core';
import { LocalStore } from '@sidetap/indexer';
import { main } from '../main';

const work = mkdtempSync(join(tmpdir(), 'sidetap-findings-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const store = join(work, 'store');

const at = (hour: number) => new Date(Date.UTC(2023, 10, 14, hour)).toISOString();
function finding(n: number, hour: number, severity: 1 | 2 | 3 | 4, category: Finding['rule']['category'], who: { user?: string; actor?: string; ip?: string }, endpoint: string): Finding {
  return {
    '@timestamp': at(hour),
    event: { kind: 'alert', id: n.toString(16).padStart(32, '0'), severity, risk_score: 50, dataset: 'sidetap.finding' },
    rule: { id: `${category}.test`, name: `${category} test`, category },
    ...(who.user ? { user: { name: who.user } } : {}),
    ...(who.ip ? { source: { ip: who.ip } } : {}),
    message: `Finding ${n} about ${who.user ?? who.ip ?? 'many'} on ${endpoint}.`,
    sidetap: {
      detector: 'test',
      ...(who.actor ? { actor_key: who.actor } : {}),
      endpoint,
      evidence: { exchange_ids: [`ex-${n}`], excerpts: [], window: { start: at(hour), end: at(hour) } },
      capture_quality: { complete: true, flags: [] },
    },
  };
}

const stored = [
  finding(1, 0, 1, 'sqli', { actor: 'cookie:h:Zz9', ip: '203.0.113.250' }, '/api/v1/products'),
  finding(2, 10, 3, 'enumeration', { user: 'alice', actor: 'jwt:alice', ip: '10.0.0.5' }, '/api/v1/accounts/{id}'),
  finding(3, 20, 4, 'credential_stuffing', { ip: '198.51.100.7', actor: 'ip:198.51.100.7' }, '/api/v1/auth/login'),
  // A user name from traffic, with a terminal escape in it.
  finding(4, 30, 2, 'xss', { user: 'eve\u001b[2J', actor: 'basic:eve' }, '/api/v1/orders'),
  finding(5, 40, 3, 'sqli', { user: 'bob', actor: 'jwt:bob' }, '/api/v1/accounts/{id}/orders'),
];

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  let stderr = '';
  const code = await main(argv, { stdout, stderr: { isTTY: false, write: (s: string) => ((stderr += s), true) } });
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr };
}
const ids = (ndjson: string): number[] => ndjson.split('\n').filter((l) => l !== '').map((l) => parseInt((JSON.parse(l) as Finding).event.id, 16));

beforeAll(async () => {
  const s = new LocalStore(store);
  await s.append('alert', stored);
  await s.close();
});

it('prints a table of every finding, in write order', async () => {
  const r = await run(['findings', '--store', store]);
  expect(r.code).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^TIME +SEVERITY +CATEGORY +RULE +ACTOR +ENDPOINT +MESSAGE$/);
  expect(lines).toHaveLength(6);
  expect(lines[2]).toMatch(/^2023-11-14T10:00:00\.000Z +high +enumeration +enumeration\.test +alice +\/api\/v1\/accounts\/\{id\} +Finding 2 about alice/);
  expect(lines[3]).toContain('critical');
  expect(lines[3]).toContain('198.51.100.7');
  // Control characters from traffic never reach the terminal.
  expect(r.stdout).not.toContain('\u001b');
  expect(lines[4]).toContain('eve?[2J');
  expect(r.stderr).toBe('');
});

it('prints the stored findings as NDJSON, unchanged', async () => {
  const r = await run(['findings', '--store', store, '--ndjson']);
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Finding)).toEqual(stored);
});

it('filters by category or family, severity, actor, endpoint, time and limit', async () => {
  const q = async (...flags: string[]) => ids((await run(['findings', '--store', store, '--ndjson', ...flags])).stdout);
  expect(await q('--category', 'sqli')).toEqual([1, 5]);
  expect(await q('--category', 'rate_and_abuse')).toEqual([2, 3]);
  expect(await q('--category', 'xss,credential_stuffing')).toEqual([3, 4]);
  expect(await q('--severity', 'high')).toEqual([2, 3, 5]);
  expect(await q('--severity', '3')).toEqual([2, 3, 5]);
  expect(await q('--severity', '=high')).toEqual([2, 5]);
  expect(await q('--actor', 'alice')).toEqual([2]);
  expect(await q('--actor', 'user:bob')).toEqual([5]);
  expect(await q('--actor', 'h:Zz9')).toEqual([1]);
  expect(await q('--actor', '198.51.100.7')).toEqual([3]);
  expect(await q('--endpoint', '/api/v1/accounts/*')).toEqual([2, 5]);
  expect(await q('--since', '2023-11-14T10:00:00Z', '--until', '2023-11-15T06:01')).toEqual([2, 3, 4]);
  // --since is inclusive, --until exclusive; a time naming no zone is UTC.
  expect(await q('--since', '2023-11-14T10:00:00Z', '--until', '2023-11-15T06:00')).toEqual([2, 3]);
  expect(await q('--since', '2023-11-14T11:00:00+01:00')).toEqual([2, 3, 4, 5]);
  expect(await q('--category', 'sqli', '--severity', 'medium')).toEqual([5]);
  const limited = await run(['findings', '--store', store, '--ndjson', '--limit', '2']);
  expect(ids(limited.stdout)).toEqual([1, 2]);
  expect(limited.stderr).toContain('2 of 5 findings shown (--limit)');
});

it('reads a relative --since back from the newest finding, not from now', async () => {
  const ndjson = async (...flags: string[]) => ids((await run(['findings', '--store', store, '--ndjson', ...flags])).stdout);
  // The newest finding is at 2023-11-15T16:00Z, long before today.
  expect(await ndjson('--since', '24h')).toEqual([3, 4, 5]);
  expect(await ndjson('--since', '1d', '--until', '15h')).toEqual([3]);
  expect(await ndjson('--since', '7d')).toEqual([1, 2, 3, 4, 5]);
});

it('says so on stderr, with exit 0, when nothing matches or nothing is stored', async () => {
  const r = await run(['findings', '--store', store, '--actor', 'mallory']);
  expect(r).toEqual({ code: 0, stdout: '', stderr: `sidetap findings: no findings match in ${store}.\n` });
  const empty = join(work, 'empty');
  mkdirSync(empty);
  const e = await run(['findings', '--store', empty, '--since', '24h']);
  expect(e).toEqual({ code: 0, stdout: '', stderr: `sidetap findings: no findings are stored in ${empty}.\n` });
});

it.each([
  [['--severity', 'severe'], '--severity: expected 1-4 or low, medium, high, critical'],
  [['--severity', '5'], '--severity: expected 1-4'],
  [['--category', 'bola'], '--category: "bola" is neither a rule category'],
  [['--since', 'yesterday'], '--since: expected an ISO 8601 time'],
  [['--until', '2024-02-30'], '--until: expected an ISO 8601 time'],
  [['--since', '2024-05-02', '--until', '2024-05-01'], '--until 2024-05-01: must be later than --since 2024-05-02'],
  [['--limit', '0'], '--limit: expected a positive whole number, got "0"'],
  [['--limit', '1e3'], '--limit: expected a positive whole number'],
  [['--actor', ''], '--actor: expected a value'],
  [['--colour'], 'sidetap findings: Unknown option \'--colour\''],
  [['extra'], 'sidetap findings: unexpected argument "extra"'],
])('refuses %j with exit 2 and one sentence naming the flag', async (flags, message) => {
  const r = await run(['findings', '--store', store, ...flags]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(message);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
});

it('refuses a store directory that does not exist, naming it', async () => {
  const r = await run(['findings', '--store', join(work, 'nowhere')]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(`--store ${join(work, 'nowhere')}: no such directory; run \`sidetap replay <capture> --store ${join(work, 'nowhere')}\` first.\n`);
});

it('lists what was written before a crash cut a write short, and names the torn line', async () => {
  const crashed = join(work, 'crashed');
  const s = new LocalStore(crashed);
  await s.append('alert', stored.slice(0, 3));
  await s.close();
  const seg = join(crashed, 'findings', readdirSync(join(crashed, 'findings')).find((n) => n.endsWith('.ndjson'))!);
  appendFileSync(seg, JSON.stringify(stored[3]).slice(0, 40));
  const r = await run(['findings', '--store', crashed, '--ndjson']);
  expect(r.code).toBe(0);
  expect(ids(r.stdout)).toEqual([1, 2, 3]);
  expect(r.stderr).toMatch(new RegExp(`skipped a torn last line \\(a write cut short\\) in ${seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at byte offset \\d+\\.`));
});

it('reads a store of the old layout', async () => {
  const old = join(work, 'old');
  mkdirSync(old);
  writeFileSync(join(old, 'findings.ndjson'), stored.map((f) => JSON.stringify(f) + '\n').join(''));
  const r = await run(['findings', '--store', old, '--ndjson', '--category', 'sqli']);
  expect(r.code).toBe(0);
  expect(ids(r.stdout)).toEqual([1, 5]);
});
