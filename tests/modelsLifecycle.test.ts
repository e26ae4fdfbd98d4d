// The learning lifecycle from the command line: train on chosen captures, show what was learned,
// tune a detector, mark a finding benign so it does not come back, and move models between stores.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Finding } from '@sidetap/core';
import { main } from '@sidetap/cli';
import { readStoreRecordsSync } from '@sidetap/indexer';

const root = join(__dirname, '..');
const demo = join(root, 'fixtures/pcaps/demo.pcap');
const keepalive = join(root, 'fixtures/pcaps/keepalive.pcap');
const work = mkdtempSync(join(tmpdir(), 'sidetap-models-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  let stderr = '';
  process.env.SIDETAP_REDACTION_KEY = 'models-test-key-0123456789';
  const code = await main(argv, { stdout: out, stderr: { isTTY: false, write: (s: string) => ((stderr += s), true) } });
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr };
}

const findingsIn = (store: string): Finding[] => readStoreRecordsSync<Finding>(store, 'alert');

it('trains, shows, exports, imports and diffs models', async () => {
  const a = join(work, 'a');
  const train = await run(['models', 'train', demo, '--store', a]);
  expect(train.code).toBe(0);
  expect(train.stdout).toMatch(/learned from \d+ exchanges/);
  const show = await run(['models', 'show', '--store', a]);
  expect(show.stdout).toContain('parameter_profiles:');
  expect(show.stdout).toContain('/api/v1/products');
  const file = join(work, 'a.json');
  expect((await run(['models', 'export', file, '--store', a])).code).toBe(0);
  const b = join(work, 'b');
  expect((await run(['models', 'import', file, '--store', b])).code).toBe(0);
  expect((await run(['models', 'diff', file, join(b, 'models', 'anomaly.json')])).stdout).toBe('models are the same\n');
  await run(['models', 'train', keepalive, '--store', b]);
  const diff = await run(['models', 'diff', file, join(b, 'models', 'anomaly.json')]);
  expect(diff.stdout).toMatch(/^- GET \/api\/v1\/products/m);
  expect(diff.stdout).toMatch(/^\+ .*\/api\/v1\/users/m);
});

it('refuses a damaged model file, and show without models says what to run', async () => {
  const bad = join(work, 'bad.json');
  writeFileSync(bad, JSON.stringify({ format: 'sidetap-anomaly-models/9' }));
  const r = await run(['models', 'import', bad, '--store', join(work, 'c')]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('bad.json');
  const none = await run(['models', 'show', '--store', join(work, 'empty')]);
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('sidetap models train');
});

it('tunes a detector with models set, checked against its schema', async () => {
  const store = join(work, 'tuned');
  expect((await run(['replay', demo, '--store', store])).stdout).toContain('enumeration');
  expect((await run(['models', 'set', 'enumeration.minIds=-1', '--store', store])).code).toBe(2);
  expect((await run(['models', 'set', 'enumeration.enabled=false', '--store', store])).code).toBe(0);
  rmSync(join(store, 'findings'), { recursive: true, force: true });
  await run(['replay', demo, '--store', store]);
  expect(findingsIn(store).map((f) => f.rule.category)).not.toContain('enumeration');
});

it('marks a finding benign so the next replay does not raise it again, and says it is a suppression', async () => {
  const store = join(work, 'feedback');
  await run(['replay', demo, '--store', store]);
  const before = findingsIn(store);
  const target = before.find((f) => f.rule.category === 'credential_stuffing')!;
  const r = await run(['models', 'feedback', target.event.id, '--benign', '--store', store]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('added a suppression of credential_stuffing.spread');
  rmSync(join(store, 'findings'), { recursive: true, force: true });
  await run(['replay', demo, '--store', store]);
  const after = findingsIn(store);
  expect(after.map((f) => f.rule.id)).not.toContain('credential_stuffing.spread');
  expect(after.length).toBe(before.length - 1);
});
