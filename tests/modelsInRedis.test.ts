// The distributed model store from the command line: `--redis URL` trains into, shows, tunes and
// exports from Redis, and a replay whose state is in that Redis starts from those models and
// settings; the local store directory is never written. Redis is a real redis-server.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '@sidetap/cli';
import { startRedis, type RedisServer } from '../scripts/redis/redisServer';

const root = join(__dirname, '..');
const demo = join(root, 'fixtures/pcaps/demo.pcap');
const work = mkdtempSync(join(tmpdir(), 'sidetap-models-redis-'));
let server: RedisServer | undefined;

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  let stderr = '';
  process.env.SIDETAP_REDACTION_KEY = 'models-redis-test-key-0123456789';
  const code = await main(argv, { stdout: out, stderr: { isTTY: false, write: (s: string) => ((stderr += s), true) } });
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr };
}

it('keeps models and settings in Redis for every instance that uses it', async () => {
  const redis = `redis://127.0.0.1:${server!.port}/2`;
  const store = join(work, 'local');
  const train = await run(['models', 'train', demo, '--redis', redis, '--store', store]);
  expect(train.code).toBe(0);
  expect(train.stdout).toContain('key sidetap:models:anomaly');
  expect(existsSync(join(store, 'models'))).toBe(false);
  const show = await run(['models', 'show', '--redis', redis]);
  expect(show.code).toBe(0);
  expect(show.stdout).toContain('parameter_profiles:');
  expect((await run(['models', 'show', '--store', store])).code).toBe(2);

  expect((await run(['models', 'set', 'enumeration.enabled=false', '--redis', redis])).code).toBe(0);
  const config = join(work, 'redis.yaml');
  writeFileSync(config, `state:\n  kind: redis\n  url: ${redis}\n`);
  const replay = await run(['replay', demo, '--config', config, '--store', store, '--json']);
  expect(replay.code).toBe(0);
  const categories = (JSON.parse(replay.stdout) as { findings: { shown: { rule: { category: string } }[] } }).findings.shown.map((f) => f.rule.category);
  expect(categories).not.toContain('enumeration');
  expect(categories.length).toBeGreaterThan(0);

  const exported = join(work, 'm.json');
  expect((await run(['models', 'export', exported, '--redis', redis])).code).toBe(0);
  expect((await run(['models', 'diff', exported, exported])).stdout).toBe('models are the same\n');
});

it('names the Redis URL when the model store cannot be reached', async () => {
  const r = await run(['models', 'show', '--redis', 'redis://127.0.0.1:1/0']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('cannot reach Redis at redis://127.0.0.1:1/0');
});
