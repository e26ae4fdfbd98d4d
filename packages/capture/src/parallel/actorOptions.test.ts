// The actor options a capture is given decide sidetap.actor_key, on one thread and across workers:
// configured API-key headers, and bearer JWTs verified with a key file so a forged subject is hashed.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { actorConfigSchema, ConfigError, createActorKeyOptions, createRedactor } from '@sidetap/core';
import type { ActorConfig, HttpExchange } from '@sidetap/core';
import { defaultCaptureConfig } from '../captureConfig';
import { captureFiles } from '../capturePipeline';
import { ethernet, ipv4, tcp } from '../decode/testPackets';
import { captureFilesParallel } from './parallelCapture';

const key = Buffer.from('actor-options-test-key-0123456789');
const config = defaultCaptureConfig();
const work = mkdtempSync(join(tmpdir(), 'sidetap-actor-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// An ES256 key made for this run, its public half in a PEM file as an operator would provide it.
const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const keyFile = join(work, 'issuer.pem');
writeFileSync(keyFile, signer.publicKey.export({ type: 'spki', format: 'pem' }));
const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const signed = (payload: object): string => {
  const input = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64(payload)}`;
  const signature = createSign('sha256').update(input).sign({ key: signer.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
};
const good = signed({ sub: 'alice', iat: 1_700_000_000 });
// alice's signature under a payload that says admin: what a forger sends.
const [head, , sig] = good.split('.');
const forged = `${head}.${b64({ sub: 'admin', iat: 1_700_000_000 })}.${sig}`;

/** One request per connection, each from its own client, so the connections spread over the shards. */
const REQUESTS: Array<[string, Record<string, string>]> = [
  ['/good', { authorization: `Bearer ${good}` }],
  ['/forged', { authorization: `Bearer ${forged}` }],
  ['/custom', { 'x-custom-key': 'k-123' }],
  ['/default', { 'x-api-key': 'k-456' }],
  ['/none', {}],
];

function requestsPcap(): string {
  const frames: Buffer[] = [];
  REQUESTS.forEach(([target, headers], i) => {
    const client = { src: `192.0.2.${10 + i}`, dst: '10.0.0.80' };
    const server = { src: client.dst, dst: client.src };
    const ports = { srcPort: 40000 + i, dstPort: 80 };
    const back = { srcPort: 80, dstPort: 40000 + i };
    const fields = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    const request = Buffer.from(`GET ${target} HTTP/1.1\r\nhost: api.example\r\n${fields}\r\n`, 'latin1');
    const response = Buffer.from('HTTP/1.1 204 No Content\r\n\r\n', 'latin1');
    const c = 1000;
    const s = 5000;
    const segment = (fromClient: boolean, payload: Buffer, seq: number, ack: number, flags: number): Buffer =>
      ethernet(0x0800, ipv4(tcp(payload, { ...(fromClient ? ports : back), seq, ack, flags }), fromClient ? client : server));
    const none = Buffer.alloc(0);
    frames.push(
      segment(true, none, c, 0, 0x02),
      segment(false, none, s, c + 1, 0x12),
      segment(true, none, c + 1, s + 1, 0x10),
      segment(true, request, c + 1, s + 1, 0x18),
      segment(false, response, s + 1, c + 1 + request.length, 0x18),
      segment(true, none, c + 1 + request.length, s + 1 + response.length, 0x11),
      segment(false, none, s + 1 + response.length, c + 2 + request.length, 0x11),
    );
  });
  const u32 = (...words: number[]): Buffer => Buffer.concat(words.map((w) => { const b = Buffer.alloc(4); b.writeUInt32LE(w >>> 0); return b; }));
  const header = Buffer.concat([u32(0xa1b2c3d4), Buffer.from([2, 0, 4, 0]), u32(0, 0, 65535, 1)]);
  const file = join(work, 'requests.pcap');
  writeFileSync(file, Buffer.concat([header, ...frames.flatMap((f, i) => [u32(1_700_000_000, i * 1000, f.length, f.length), f])]));
  return file;
}

const file = requestsPcap();
const byTarget = (exchanges: HttpExchange[]): Record<string, string> =>
  Object.fromEntries(exchanges.map((ex) => [ex.url.path, ex.sidetap.actor_key]));

async function single(actor: ActorConfig | undefined): Promise<{ keys: Record<string, string>; text: string }> {
  // As the command line builds it: a header that names the actor is a secret in the exchange too.
  const redactor = createRedactor({ key, extraHeaders: actor?.apiKeyHeaders ?? [] });
  const exchanges: HttpExchange[] = [];
  await captureFiles([file], {
    config,
    redactor,
    ...(actor === undefined ? {} : { actor: createActorKeyOptions(actor, redactor) }),
    onExchange: (ex) => exchanges.push(ex),
  });
  return { keys: byTarget(exchanges), text: JSON.stringify(exchanges) };
}

async function sharded(actor: ActorConfig | undefined): Promise<{ keys: Record<string, string>; text: string }> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  await captureFilesParallel([file], { config, redactionKey: key, workers: 2, output, ...(actor === undefined ? {} : { actor }) });
  const text = Buffer.concat(chunks).toString('utf8');
  const exchanges = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as HttpExchange);
  return { keys: byTarget(exchanges), text };
}

const redactor = createRedactor({ key });
const ip = (i: number): string => `ip:192.0.2.${10 + i}`;

describe.each([
  ['captureFiles', single],
  ['captureFilesParallel', sharded],
])('%s with actor options', (_name, capture) => {
  it('uses core\'s defaults when none are given: the forged subject is taken as it reads', async () => {
    expect((await capture(undefined)).keys).toEqual({
      '/good': 'jwt:alice',
      '/forged': 'jwt:admin',
      '/custom': ip(2),
      '/default': `api_key:${redactor.hash('k-456')}`,
      '/none': ip(4),
    });
  });

  it('verifies bearer JWTs with the configured key file and hashes a token that fails', async () => {
    const { keys } = await capture(actorConfigSchema.parse({ jwt: { keyFile } }));
    expect(keys['/good']).toBe('jwt:alice');
    expect(keys['/forged']).toBe(`jwt:${redactor.hash(forged)}`);
  });

  it('names the actor by a configured API-key header, and by it alone', async () => {
    const { keys } = await capture(actorConfigSchema.parse({ apiKeyHeaders: ['X-Custom-Key'] }));
    expect(keys['/custom']).toBe(`api_key:${redactor.hash('k-123')}`);
    expect(keys['/default']).toBe(ip(3));
  });
});

describe('captureFilesParallel', () => {
  it('has its workers hash the value of a configured API-key header in the exchange too', async () => {
    const { text } = await sharded(actorConfigSchema.parse({ apiKeyHeaders: ['x-custom-key'] }));
    expect(text).toContain('x-custom-key');
    expect(text).not.toContain('k-123');
    expect(text).toContain(redactor.hash('k-123'));
  });

  it('throws a ConfigError naming the option before any worker starts when the key file is missing', () => {
    const actor = actorConfigSchema.parse({ jwt: { keyFile: join(work, 'absent.pem') } });
    const output = new PassThrough();
    expect(() => captureFilesParallel([file], { config, redactionKey: key, workers: 2, output, actor })).toThrow(ConfigError);
    expect(() => captureFilesParallel([file], { config, redactionKey: key, workers: 2, output, actor })).toThrow(/actor\.jwt\.keyFile/);
  });

  it('rejects, naming the worker, when a worker cannot load the key file (it vanished as the workers started)', async () => {
    const brief = join(work, 'brief.pem');
    writeFileSync(brief, signer.publicKey.export({ type: 'spki', format: 'pem' }));
    const actor = actorConfigSchema.parse({ jwt: { keyFile: brief } });
    const run = captureFilesParallel([file], { config, redactionKey: key, workers: 2, output: new PassThrough(), actor });
    // This thread loaded it; the worker loads it once it has started, which takes longer than this.
    rmSync(brief);
    await expect(run).rejects.toThrow(/capture worker 1 failed: .*brief\.pem/);
  });
});
