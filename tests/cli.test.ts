// The `sidetap` command as a user runs it: output formats, exit statuses, the one-sentence errors
// naming file and byte offset, and that nothing before a fault is lost.
import { spawn, spawnSync } from 'node:child_process';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRedactor, httpExchangeSchema } from '@sidetap/core';
import { writeRequestCapture } from './helpers/requestCapture';
import { runCli } from './helpers/runCli';
import type { CliRun } from './helpers/runCli';

const root = join(__dirname, '..');
const fixture = join(root, 'fixtures/pcaps/keepalive.pcap');
const work = mkdtempSync(join(tmpdir(), 'sidetap-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const env = { SIDETAP_REDACTION_KEY: 'test-key-0123456789abcdef' };

const run = (argv: string[]): Promise<CliRun> => runCli(argv, env.SIDETAP_REDACTION_KEY);

const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

describe('sidetap capture', () => {
  it('prints one valid ECS exchange per line and a summary on stderr', async () => {
    const r = await run(['capture', fixture, '--ndjson', '--store', work]);
    expect(r.code).toBe(0);
    const docs = lines(r.stdout).map((l) => JSON.parse(l) as unknown);
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) expect(httpExchangeSchema.safeParse(d).success).toBe(true);
    expect(r.stderr).toMatch(new RegExp(`${docs.length} exchanges in`));
    expect(r.stderr).toContain('capture_packets_decoded_total');
  });

  it('gives the same exchange ids on every run', async () => {
    const ids = async () => lines((await run(['capture', fixture, '--store', work])).stdout).map((l) => (JSON.parse(l) as { event: { id: string } }).event.id);
    const first = await ids();
    expect(new Set(first).size).toBe(first.length);
    expect(await ids()).toEqual(first);
  });

  it('stops at a truncated file with exit 2 naming the file and offset, after writing what came before', async () => {
    const whole = await run(['capture', fixture, '--store', work]);
    const all = lines(whole.stdout);
    const cut = join(work, 'cut.pcap');
    copyFileSync(fixture, cut);
    truncateSync(cut, Math.floor(statSync(fixture).size * 0.7));
    const r = await run(['capture', cut, '--store', work]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*truncated.* at byte offset \\d+`));
    const got = lines(r.stdout);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThanOrEqual(all.length);
    // Every exchange that completed before the cut is there, identical.
    const complete = got.map((l) => JSON.parse(l) as { event: { id: string }; sidetap: { capture: { flags: string[] } } }).filter((d) => !d.sidetap.capture.flags.includes('capture_ended'));
    const allIds = new Set(all.map((l) => (JSON.parse(l) as { event: { id: string } }).event.id));
    for (const d of complete) expect(allIds.has(d.event.id)).toBe(true);
  });

  it('rejects a file that is not a capture with exit 2 and one sentence', async () => {
    const junk = join(work, 'notes.txt');
    writeFileSync(junk, 'this is not a capture file at all\n');
    const r = await run(['capture', junk, '--store', work]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr).filter((l) => l.includes(junk))).toHaveLength(1);
    expect(r.stderr).toContain('byte offset 0');
  });

  it('names a missing file before reading any, with exit 2', async () => {
    const r = await run(['capture', fixture, join(work, 'nope.pcap'), '--store', work]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`${join(work, 'nope.pcap')}: no such file.`);
  });

  describe('with --workers', () => {
    const ids = (stdout: string): string[] => lines(stdout).map((l) => (JSON.parse(l) as { event: { id: string } }).event.id).sort();
    // The summary after its first line (which holds the timing) must not depend on threads.
    const counters = (stderr: string): string[] => lines(stderr).slice(1);

    it('splits the capture across threads with the same exchanges and counters, in a stable order', async () => {
      const files = [fixture, join(root, 'fixtures/pcaps/demo.pcap'), join(root, 'fixtures/pcaps/vlan.pcap')];
      const one = await run(['capture', ...files, '--workers', '1', '--store', work]);
      const two = await run(['capture', ...files, '--workers', '2', '--store', work]);
      expect(one.code).toBe(0);
      expect(two.code).toBe(0);
      for (const l of lines(two.stdout)) expect(httpExchangeSchema.safeParse(JSON.parse(l)).success).toBe(true);
      expect(ids(two.stdout)).toEqual(ids(one.stdout));
      expect(counters(two.stderr)).toEqual(counters(one.stderr));
      expect((await run(['capture', ...files, '--workers', '2', '--store', work])).stdout).toBe(two.stdout);
    });

    it('stops at a truncated file as the single-threaded run does', async () => {
      const cut = join(work, 'cut-workers.pcap');
      copyFileSync(join(root, 'fixtures/pcaps/demo.pcap'), cut);
      truncateSync(cut, Math.floor(statSync(cut).size * 0.7));
      const one = await run(['capture', cut, '--workers', '1', '--store', work]);
      const three = await run(['capture', cut, '--workers', '3', '--store', work]);
      expect(one.code).toBe(2);
      expect(three.code).toBe(2);
      expect(three.stderr).toMatch(/: .*truncated.* at byte offset \d+/);
      expect(counters(three.stderr)).toEqual(counters(one.stderr));
      expect(lines(three.stdout).length).toBeGreaterThan(0);
      expect(ids(three.stdout)).toEqual(ids(one.stdout));
    });

    it('rejects a worker count that is not a whole number from 1 to 64 with exit 2', async () => {
      for (const bad of ['0', 'two', '65']) {
        const r = await run(['capture', fixture, '--workers', bad, '--store', work]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('--workers');
        expect(r.stdout).toBe('');
      }
    });
  });

  it('names an unknown flag with exit 2', async () => {
    const r = await run(['capture', fixture, '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--frobnicate');
  });

  it('names the key of an invalid config file', async () => {
    const cfg = join(work, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ capture: { maxFlows: -3 } }));
    const r = await run(['capture', fixture, '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('capture.maxFlows');
  });
});

describe('the actor section of --config', () => {
  // An ES256 key made for this run; the issuer's public half is the key file an operator configures.
  const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyFile = join(work, 'issuer.pem');
  writeFileSync(keyFile, signer.publicKey.export({ type: 'spki', format: 'pem' }));
  const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64({ sub: 'alice', iat: 1_700_000_000 })}`;
  const signature = createSign('sha256').update(input).sign({ key: signer.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  const good = `${input}.${signature}`;
  // alice's signature under a payload that says admin: what a forger sends.
  const forged = `${input.split('.')[0]}.${b64({ sub: 'admin', iat: 1_700_000_000 })}.${signature}`;
  const capture = join(work, 'actors.pcap');
  writeRequestCapture(capture, [
    { target: '/good', headers: [['Authorization', `Bearer ${good}`]] },
    { target: '/forged', headers: [['Authorization', `Bearer ${forged}`]] },
    { target: '/custom', headers: [['X-Custom-Key', 'custom-secret-123']] },
    { target: '/none', headers: [] },
  ]);
  const redactor = createRedactor({ key: Buffer.from(env.SIDETAP_REDACTION_KEY) });
  const configFile = (name: string, yaml: string): string => {
    const file = join(work, name);
    writeFileSync(file, yaml);
    return file;
  };
  const jwtConfig = configFile('actor-jwt.yaml', `actor:\n  jwt:\n    keyFile: ${JSON.stringify(keyFile)}\n`);
  const apiKeyConfig = configFile('actor-api-key.yaml', 'actor:\n  apiKeyHeaders: [X-Custom-Key]\n');
  const actorKeys = (stdout: string): Record<string, string> =>
    Object.fromEntries(lines(stdout).map((l) => JSON.parse(l) as { url: { path: string }; sidetap: { actor_key: string } }).map((d) => [d.url.path, d.sidetap.actor_key]));

  it.each(['1', '2'])('takes a JWT subject only when the configured key verifies it, workers %s', async (workers) => {
    const plain = await run(['capture', capture, '--ndjson', '--workers', workers, '--store', work]);
    expect(plain.code).toBe(0);
    expect(actorKeys(plain.stdout)).toMatchObject({ '/good': 'jwt:alice', '/forged': 'jwt:admin' });
    const r = await run(['capture', capture, '--ndjson', '--workers', workers, '--config', jwtConfig, '--store', work]);
    expect(r.code).toBe(0);
    expect(actorKeys(r.stdout)).toEqual({ '/good': 'jwt:alice', '/forged': `jwt:${redactor.hash(forged)}`, '/custom': 'ip:192.0.2.12', '/none': 'ip:192.0.2.13' });
    expect(actorKeys(r.stdout)['/forged']).toMatch(/^jwt:h:/);
  });

  it.each(['1', '2'])('names the actor by a configured API-key header and hashes its value, workers %s', async (workers) => {
    const r = await run(['capture', capture, '--ndjson', '--workers', workers, '--config', apiKeyConfig, '--store', work]);
    expect(r.code).toBe(0);
    expect(actorKeys(r.stdout)['/custom']).toBe(`api_key:${redactor.hash('custom-secret-123')}`);
    expect(actorKeys(r.stdout)['/custom']).toMatch(/^api_key:h:/);
    expect(r.stdout).not.toContain('custom-secret-123');
  });

  it('reaches the capture of `sidetap replay`', async () => {
    const r = await run(['replay', capture, '--json', '--config', jwtConfig, '--store', work]);
    expect(r.code).toBe(0);
    const actors = (JSON.parse(r.stdout) as { traffic: { topActors: Array<[string, number]> } }).traffic.topActors.map(([name]) => name);
    expect(actors).toContain('jwt:alice');
    expect(actors).toContain(`jwt:${redactor.hash(forged)}`);
    expect(actors).not.toContain('jwt:admin');
  });

  it.each([
    ['capture', '--workers 1'],
    ['capture', '--workers 2'],
    ['replay', ''],
  ])('stops `sidetap %s %s` with exit 2 naming actor.jwt.keyFile when the key file is missing', async (command, flags) => {
    const absent = join(work, 'absent.pem');
    const cfg = configFile('actor-absent.yaml', `actor:\n  jwt:\n    keyFile: ${JSON.stringify(absent)}\n`);
    const r = await run([command, capture, ...flags.split(' ').filter((f) => f !== ''), '--config', cfg, '--store', work]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([`${absent}: actor.jwt.keyFile: no such file.`]);
  });
});

describe('sidetap replay', () => {
  it('reports what the traffic holds', async () => {
    const r = await run(['replay', fixture, '--store', work]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+ exchanges from \d+ client addresses/);
    expect(r.stdout).toContain('top endpoints:');
  });

  it('prints a JSON summary with --json', async () => {
    const r = await run(['replay', fixture, '--json', '--store', work]);
    const doc = JSON.parse(r.stdout) as { exchanges: number; traffic: { exchanges: number } };
    expect(doc.exchanges).toBeGreaterThan(0);
    expect(doc.traffic.exchanges).toBe(doc.exchanges);
  });
});

describe('the installed command', () => {
  const bin = join(root, 'packages/cli/bin/sidetap.js');
  it('runs from the repository as `sidetap` with usage errors on exit 2', () => {
    const r = spawnSync(process.execPath, [bin, 'capture'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('name at least one capture file');
  });

  it('keeps the redaction key it made in the store, private to its owner', () => {
    const store = join(work, 'fresh-store');
    const r = spawnSync(process.execPath, [bin, 'capture', fixture, '--store', store], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(statSync(join(store, 'redaction.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(store, 'redaction.key')).length).toBe(32);
    // Piped, the run shows no progress line.
    expect(r.stderr).not.toContain('\r');
  });
});

describe('standard input', () => {
  const bin = join(root, 'packages/cli/bin/sidetap.js');
  const store = join(work, 'stdin-store');
  const run = (args: string[], input?: Buffer) =>
    spawnSync(process.execPath, [bin, ...args, '--store', store], { input, encoding: 'utf8', env: { ...process.env, ...env } });
  const ids = (out: string) => lines(out).map((l) => (JSON.parse(l) as { event: { id: string } }).event.id);

  it('reads a capture piped in as `-`, plain or gzipped, with the same exchanges as the file', () => {
    const fromFile = run(['capture', fixture]);
    expect(fromFile.status).toBe(0);
    const piped = run(['capture', '-'], readFileSync(fixture));
    expect(piped.status).toBe(0);
    expect(ids(piped.stdout)).toEqual(ids(fromFile.stdout));
    const gz = run(['capture', '-'], gzipSync(readFileSync(fixture)));
    expect(ids(gz.stdout)).toEqual(ids(fromFile.stdout));
  });

  it('names standard input and the byte offset when the piped capture is cut', () => {
    const bytes = readFileSync(fixture);
    const r = run(['capture', '-'], bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/standard input: .*truncated.* at byte offset \d+/);
    expect(lines(r.stdout).length).toBeGreaterThan(0);
  });

  it('splits a piped capture across threads when --workers asks, with the same exchanges and summary', () => {
    const demo = readFileSync(join(root, 'fixtures/pcaps/demo.pcap'));
    const one = run(['capture', '-'], demo);
    const two = run(['capture', '-', '--workers', '2'], demo);
    expect(two.status).toBe(0);
    expect(ids(two.stdout).sort()).toEqual(ids(one.stdout).sort());
    expect(lines(two.stderr).slice(1)).toEqual(lines(one.stderr).slice(1));
  });

  it('refuses `-` twice', () => {
    expect(run(['capture', '-', '-'], Buffer.alloc(0)).status).toBe(2);
  });
});

describe('a reader that stops early', () => {
  const bin = join(root, 'packages/cli/bin/sidetap.js');

  it.each(['1', '2'])('ends quietly with status 0 when stdout closes (`| head`), workers %s', async (workers) => {
    const child = spawn(process.execPath, [bin, 'capture', join(root, 'fixtures/pcaps/demo.pcap'), '--workers', workers, '--store', work], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read one chunk, then close our end of the pipe as `head` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toContain('internal error');
    expect(code).toBe(0);
  });
});
