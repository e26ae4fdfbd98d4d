// `sidetap report` as a command: the page it writes from a store, and its one-sentence errors.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { LocalStore } from '@sidetap/indexer';
import { main } from '../main';
import { incidentId, testFinding, testSession } from './testRecords';

const work = mkdtempSync(join(tmpdir(), 'sidetap-report-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const store = join(work, 'store');
const at = (s: number): string => new Date(Date.parse('2024-05-01T12:00:00Z') + s * 1000).toISOString();

async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await main(argv, { stdout: new PassThrough(), stderr: { isTTY: false, write: (s: string) => ((stderr += s), true) } });
  return { code, stderr };
}

const sentence = (s: string): void => {
  expect(s.trim().split('\n')).toHaveLength(1);
  expect(s.trim()).toMatch(/\.$/);
};

beforeAll(async () => {
  const findings = [
    testFinding({ at: at(0), severity: 4, actor: 'ip:10.0.0.1', incident: { id: incidentId(1), risk: 60, findings: 1 } }),
    testFinding({ at: at(60), severity: 3, actor: 'ip:10.0.0.1', category: 'xss', incident: { id: incidentId(1), risk: 90, findings: 2, categories: ['sqli', 'xss'], start: at(0) } }),
    testFinding({ at: at(3600), severity: 2, category: 'shadow_api', endpoint: '/api/v0/old' }),
  ];
  const session = testSession({ actor: 'ip:10.0.0.1', start: at(0), end: at(70), requests: 12, errors: 3 });
  const first = new LocalStore(store);
  await first.append('alert', findings);
  await first.append('session', [session]);
  await first.close();
  // The same capture replayed again writes the same findings and session again.
  const again = new LocalStore(store);
  await again.append('alert', findings.slice(0, 2));
  await again.append('session', [session]);
  await again.close();
});

describe('sidetap report', () => {
  it('writes the page from the store, each stored finding counted once', async () => {
    const out = join(work, 'report.html');
    const r = await run(['report', '--store', store, '--out', out]);
    expect(r.stderr).toBe(`sidetap report: 3 findings, 1 incident, 1 session → ${out} (${Math.ceil(readFileSync(out).length / 1024)} KiB).\n`);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<dt>Findings</dt><dd>3</dd>');
    expect(html).toContain('<dt>Requests</dt><dd>12</dd>');
    expect(html).toContain(`id="incident-${incidentId(1)}"`);
    expect(html).toContain('/api/v0/old');
    expect(readFileSync(out, 'utf8')).toBe(html);
    // No temporary file is left beside it.
    expect(existsSync(join(work, `.${process.pid}.sidetap-report.tmp`))).toBe(false);
  });

  it('gives the same page on every run', async () => {
    const a = join(work, 'a.html');
    const b = join(work, 'b.html');
    await run(['report', '--store', store, '--out', a]);
    await run(['report', '--store', store, '--out', b]);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
  });

  it('keeps the findings from --since up to before --until', async () => {
    const out = join(work, 'cut.html');
    const r = await run(['report', '--store', store, '--out', out, '--since', '2024-05-01T12:00:30Z', '--until', '2024-05-01T13:00']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^sidetap report: 1 finding,/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('findings from 2024-05-01T12:00:30.000Z until before 2024-05-01T13:00:00.000Z');
    expect(html).not.toContain('/api/v0/old');
  });

  it('counts an age such as 30m back from the newest finding, not from now', async () => {
    const out = join(work, 'age.html');
    // The newest finding is at 13:00; the half hour before it holds it alone, the first two are older.
    const r = await run(['report', '--store', store, '--out', out, '--since', '30m']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^sidetap report: 1 finding,/);
    expect(readFileSync(out, 'utf8')).toContain('findings from 2024-05-01T12:30:00.000Z until before the end');
    const before = await run(['report', '--store', store, '--out', out, '--until', '30m']);
    expect(before.stderr).toMatch(/^sidetap report: 2 findings,/);
  });

  it('counts damaged store lines as unreadable and still writes the page', async () => {
    const damaged = join(work, 'damaged');
    const s = new LocalStore(damaged);
    await s.append('alert', [testFinding({ at: at(0) })]);
    await s.close();
    writeFileSync(join(damaged, 'findings.ndjson'), '{"not": "a finding"}\nnot json at all\n');
    const out = join(work, 'damaged.html');
    const r = await run(['report', '--store', damaged, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 finding, .*; 2 unreadable records left out\./);
    expect(r.stderr).toMatch(/skipped a damaged line \(not a JSON object\) in .*findings\.ndjson at byte offset 21\./);
    expect(readFileSync(out, 'utf8')).toContain('2 finding records were unreadable and left out.');
  });

  it('requires --out', async () => {
    const r = await run(['report', '--store', store]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out FILE is required');
    sentence(r.stderr);
  });

  it('names a missing store, a file given as store, and a directory that holds no store', async () => {
    const missing = join(work, 'nowhere');
    let r = await run(['report', '--store', missing, '--out', join(work, 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--store ${missing}: no such directory`);
    sentence(r.stderr);
    const file = join(work, 'plain.txt');
    writeFileSync(file, 'x');
    r = await run(['report', '--store', file, '--out', join(work, 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--store ${file}: not a directory`);
    const empty = join(work, 'empty');
    mkdirSync(empty);
    r = await run(['report', '--store', empty, '--out', join(work, 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--store ${empty}: holds no findings, sessions or events`);
    sentence(r.stderr);
    expect(existsSync(join(work, 'x.html'))).toBe(false);
  });

  it('names an --out path that cannot be written, before reading the store', async () => {
    for (const [out, why] of [
      ['/dev/null/report.html', 'a part of the path is not a directory'],
      [join(work, 'no-such-dir', 'report.html'), 'its directory does not exist'],
    ] as const) {
      const r = await run(['report', '--store', store, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`--out ${out}: cannot write the report there (${why}).\n`);
    }
    const r = await run(['report', '--store', store, '--out', work]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`--out ${work}: is a directory; name the HTML file to write.\n`);
    // A read-only directory (root writes anyway, so this holds only for other users).
    if (process.getuid?.() !== 0) {
      const ro = join(work, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o500);
      const ror = await run(['report', '--store', store, '--out', join(ro, 'r.html')]);
      expect(ror.stderr).toContain('permission denied');
    }
  });

  it('rejects times that are not ISO 8601 and an --until not after --since', async () => {
    let r = await run(['report', '--store', store, '--out', join(work, 'x.html'), '--since', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('--since: expected an ISO 8601 time such as 2024-05-01T12:00:00Z or an age such as 24h or 7d (before the newest finding), got "yesterday".\n');
    r = await run(['report', '--store', store, '--out', join(work, 'x.html'), '--until', '2024-02-30']);
    expect(r.stderr).toContain('--until: expected an ISO 8601 time');
    r = await run(['report', '--store', store, '--out', join(work, 'x.html'), '--since', '2024-05-02', '--until', '2024-05-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('--until 2024-05-01: must be later than --since 2024-05-02.\n');
  });
});
