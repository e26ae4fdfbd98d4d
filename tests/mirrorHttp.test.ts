// The gateway mirror listener on loopback: real-format Kong, Envoy, HAR and native payloads posted
// over HTTP (and HTTPS with client certificates) become the exchanges they describe; bad senders,
// oversized or bomb bodies and a saturated pipeline get 401, 413 and 429, and every record a 2xx
// counted was delivered.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { createRedactor, httpExchangeSchema } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { captureConfigSchema, startMirrorServer } from '@sidetap/capture';
import type { MirrorServer, MirrorServerOptions } from '@sidetap/capture';

const TOKEN = 'mirror-test-token-4f1c9e';
const redactor = createRedactor({ key: Buffer.alloc(32, 0x33) });
const fixture = (name: string): Buffer => readFileSync(join(__dirname, '../packages/capture/src/sources/mirror/testdata', name));

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: { accepted?: number; rejected?: number; errors?: string[]; error?: string; status?: string };
}

interface Send {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  tls?: { ca: Buffer; cert?: Buffer; key?: Buffer };
}

function send(server: MirrorServer, path: string, options: Send = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const common = {
      host: '127.0.0.1',
      port: server.address.port,
      path,
      method: options.method ?? 'POST',
      headers: { ...(body === undefined ? {} : { 'content-length': String(body.length) }), ...options.headers },
    };
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? {} : JSON.parse(text) });
      });
    };
    const req = options.tls === undefined ? httpRequest(common, onResponse) : httpsRequest({ ...common, ...options.tls, servername: 'localhost' }, onResponse);
    req.on('error', reject);
    req.end(body);
  });
}

const bearer = { authorization: `Bearer ${TOKEN}` };

function baseOptions(into: HttpExchange[], extra: Partial<MirrorServerOptions> = {}): MirrorServerOptions {
  return {
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    config: captureConfigSchema.parse({}),
    redactor,
    onExchange: (ex) => {
      const checked = httpExchangeSchema.safeParse(ex);
      if (!checked.success) throw new Error(`exchange does not match the schema: ${checked.error.message}`);
      into.push(ex);
    },
    ...extra,
  };
}

describe('mirror listener', () => {
  const got: HttpExchange[] = [];
  let server: MirrorServer;
  beforeAll(async () => {
    server = await startMirrorServer(baseOptions(got, { maxBodyBytes: 64 * 1024 }));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    got.length = 0;
  });

  it('answers its health check without a token', async () => {
    expect(await send(server, '/healthz', { method: 'GET' })).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('turns a Kong http-log batch into its exchanges', async () => {
    const reply = await send(server, '/v1/kong', { headers: { ...bearer, 'content-type': 'application/json; charset=utf-8' }, body: fixture('kong-http-log-batch.json') });
    expect(reply).toMatchObject({ status: 200, body: { accepted: 2, rejected: 0, errors: [] } });
    expect(got).toHaveLength(2);
    const [orders, login] = got;
    expect(orders?.sidetap.capture.source).toBe('mirror:kong');
    expect(orders?.source.ip).toBe('203.0.113.45');
    expect(orders?.destination).toMatchObject({ ip: '10.20.3.14', port: 8080 });
    expect(orders?.url.path).toBe('/orders/v1/orders/1001');
    expect(orders?.http.response?.status_code).toBe(200);
    expect(login?.http.request.body.content).toContain('carol');
    expect(login?.http.request.body.content).not.toContain('p4ssw0rd!');
    expect(login?.http.request.headers['cookie']).not.toContain('7f3a9c2e1b');
  });

  it('takes a gzipped Envoy admin tap stream', async () => {
    const reply = await send(server, '/v1/envoy', { headers: { ...bearer, 'content-encoding': 'gzip' }, body: gzipSync(fixture('envoy-tap-admin-stream.txt')) });
    expect(reply).toMatchObject({ status: 200, body: { accepted: 2, rejected: 0 } });
    expect(got.map((x) => [x.sidetap.capture.source, x.http.request.method, x.url.original, x.http.response?.status_code])).toEqual([
      ['mirror:envoy', 'POST', '/v2/items?dry_run=false', 201],
      ['mirror:envoy', 'GET', '/v2/items/4211', 200],
    ]);
    expect(got[0]?.source).toMatchObject({ ip: '10.1.7.33', port: 41822 });
    expect(got[1]?.http.request.headers['authorization']).not.toContain('opaque-token-93ab');
  });

  it('takes a HAR file', async () => {
    const reply = await send(server, '/v1/har', { headers: bearer, body: fixture('browser-session.har') });
    expect(reply).toMatchObject({ status: 200, body: { accepted: 4, rejected: 0 } });
    expect(got.map((x) => `${x.http.request.method} ${x.url.domain}${x.url.path} ${x.http.response?.status_code ?? '-'}`)).toEqual([
      'GET shop.test/api/catalog 200',
      'POST shop.test/api/login 200',
      'GET tracker.test/pixel.gif -',
      'GET shop.test/img/logo.png 200',
    ]);
    expect(got[1]?.sidetap.actor_key).toBe('jwt:dave');
  });

  it('takes native NDJSON and MessagePack batches, answering counts and naming bad records', async () => {
    const record = {
      started_at: '2024-05-14T11:00:00Z',
      client: { ip: '198.51.100.23', port: 5000 },
      server: { ip: '10.0.4.2', port: 80 },
      request: { method: 'GET', target: '/v1/me', headers: [['Host', 'api.test'], ['Cookie', 'session=zz9']] },
      response: { status: 200, headers: [['Content-Type', 'text/plain']], body: Buffer.from('hello').toString('base64') },
    };
    const ndjson = `${JSON.stringify(record)}\n{"started_at":1}\n${JSON.stringify({ ...record, id: 'x' })}\n`;
    const reply = await send(server, '/v1/exchanges', { headers: { ...bearer, 'content-type': 'application/x-ndjson' }, body: ndjson });
    expect(reply).toMatchObject({ status: 200, body: { accepted: 2, rejected: 1, errors: ['record 1 (line 2): client expected object, received undefined.'] } });
    const packed = await send(server, '/v1/exchanges', { headers: { ...bearer, 'content-type': 'application/msgpack' }, body: Buffer.from(encode([{ ...record, response: { ...record.response, body: Buffer.from('hello') } }])) });
    expect(packed).toMatchObject({ status: 200, body: { accepted: 1, rejected: 0 } });
    expect(got).toHaveLength(3);
    expect(got.every((x) => x.sidetap.capture.source === 'mirror:native' && x.http.response?.body.content === 'hello')).toBe(true);
    expect(got[0]?.sidetap.actor_key).toMatch(/^cookie:/);
    const allBad = await send(server, '/v1/exchanges', { headers: bearer, body: '{"started_at":1}\n' });
    expect(allBad).toMatchObject({ status: 400, body: { accepted: 0, rejected: 1 } });
  });

  it('refuses senders without the token, and never takes the token from a mirrored request\'s Authorization', async () => {
    const noToken = await send(server, '/v1/kong', { body: fixture('kong-http-log-batch.json') });
    expect(noToken.status).toBe(401);
    expect(noToken.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await send(server, '/v1/kong', { headers: { authorization: `Bearer ${TOKEN}x` }, body: '[]' })).status).toBe(401);
    expect((await send(server, '/v1/kong', { headers: { 'x-sidetap-token': TOKEN }, body: '[]' })).status).toBe(200);
    expect((await send(server, '/nginx/x', { method: 'GET', headers: bearer })).status).toBe(401);
    expect(got).toEqual([]);
  });

  it('answers 413 past the size limit, as sent and after gunzip, delivering nothing', async () => {
    const big = Buffer.alloc(70 * 1024, 0x20);
    expect(await send(server, '/v1/kong', { headers: bearer, body: big })).toMatchObject({ status: 413, body: { error: 'The body is larger than 65536 bytes as sent.' } });
    const bomb = gzipSync(Buffer.alloc(10 << 20, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(await send(server, '/v1/kong', { headers: { ...bearer, 'content-encoding': 'gzip' }, body: bomb })).toMatchObject({ status: 413, body: { error: 'The body is larger than 65536 bytes after gunzip.' } });
    expect(got).toEqual([]);
  });

  it('answers bad requests with one sentence: not JSON, not gzip, unknown coding, path or method', async () => {
    expect(await send(server, '/v1/har', { headers: bearer, body: '{"log": [' })).toMatchObject({ status: 400, body: { error: 'The har payload is not JSON at byte offset 9 (Unexpected end of JSON input).' } });
    expect(await send(server, '/v1/kong', { headers: { ...bearer, 'content-encoding': 'gzip' }, body: 'plain' })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^The body is not valid gzip/) } });
    expect(await send(server, '/v1/kong', { headers: { ...bearer, 'content-encoding': 'br' }, body: 'x' })).toMatchObject({ status: 415 });
    expect(await send(server, '/v2/kong', { headers: bearer, body: '[]' })).toMatchObject({ status: 404 });
    expect(await send(server, '/v1/kong', { method: 'GET', headers: bearer })).toMatchObject({ status: 405 });
    expect(server.counters.get('capture_mirror_requests_rejected_total{reason="bad_payload"}')).toBeGreaterThanOrEqual(2);
  });
});

describe('mirror listener start-up', () => {
  it('refuses bad limits and a taken address with one sentence', async () => {
    await expect(startMirrorServer(baseOptions([], { maxBodyBytes: -1 }))).rejects.toThrow('Mirror listener option maxBodyBytes: expected number to be >0.');
    await expect(startMirrorServer(baseOptions([], { token: '  ' }))).rejects.toThrow('The mirror token is empty.');
    const first = await startMirrorServer(baseOptions([]));
    try {
      await expect(startMirrorServer(baseOptions([], { port: first.address.port }))).rejects.toThrow(`The mirror listener cannot listen on 127.0.0.1:${first.address.port} (EADDRINUSE).`);
    } finally {
      await first.close();
    }
  });
});

describe('mirror listener when the pipeline is saturated', () => {
  const record = (n: number) => JSON.stringify({ id: `r${n}`, started_at: 1715684400000 + n, client: { ip: '192.0.2.1' }, request: { method: 'GET', target: `/item/${n}` } });
  const batch = (from: number, count: number) => Array.from({ length: count }, (_, k) => record(from + k)).join('\n');

  it('answers 429 with Retry-After instead of buffering, and delivers every record it accepted', async () => {
    const delivered: HttpExchange[] = [];
    const waiting: Array<() => void> = [];
    // A consumer that takes nothing until released: the pipeline stands still.
    const server = await startMirrorServer(
      baseOptions(delivered, {
        maxPendingRecords: 5,
        retryAfterSec: 2,
        onExchange: (ex) =>
          new Promise<void>((resolve) =>
            waiting.push(() => {
              delivered.push(ex);
              resolve();
            }),
          ),
      }),
    );
    try {
      const first = send(server, '/v1/exchanges', { headers: bearer, body: batch(0, 5) });
      while (server.pendingRecords < 5) await new Promise((r) => setTimeout(r, 5));
      const refused = await send(server, '/v1/exchanges', { headers: bearer, body: batch(5, 3) });
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('2');
      expect(server.counters.get('capture_mirror_requests_throttled_total')).toBe(1);
      // The pipeline moves again: the first batch completes, and a retry is taken.
      const release = setInterval(() => waiting.splice(0).forEach((go) => go()), 2);
      const accepted = await first;
      const retried = await send(server, '/v1/exchanges', { headers: bearer, body: batch(5, 3) });
      clearInterval(release);
      expect(accepted).toMatchObject({ status: 200, body: { accepted: 5 } });
      expect(retried).toMatchObject({ status: 200, body: { accepted: 3 } });
      expect(delivered.map((x) => x.url.path)).toEqual(Array.from({ length: 8 }, (_, k) => `/item/${k}`));
      expect(server.pendingRecords).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('answers 429 while the pipeline says it is not accepting', async () => {
    const delivered: HttpExchange[] = [];
    let accepting = false;
    const server = await startMirrorServer(baseOptions(delivered, { accepting: () => accepting }));
    try {
      expect((await send(server, '/v1/exchanges', { headers: bearer, body: batch(0, 2) })).status).toBe(429);
      accepting = true;
      expect(await send(server, '/v1/exchanges', { headers: bearer, body: batch(0, 2) })).toMatchObject({ status: 200, body: { accepted: 2 } });
      expect(delivered).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('says which record the pipeline refused when delivery fails, after delivering those before it', async () => {
    const delivered: HttpExchange[] = [];
    const server = await startMirrorServer(
      baseOptions(delivered, {
        onExchange: (ex) => {
          if (delivered.length === 2) throw new Error('queue closed');
          delivered.push(ex);
        },
      }),
    );
    try {
      expect(await send(server, '/v1/exchanges', { headers: bearer, body: batch(0, 4) })).toMatchObject({
        status: 503,
        body: { accepted: 2, error: 'The pipeline did not take record 2 (queue closed); records before it were delivered.' },
      });
    } finally {
      await server.close();
    }
  });
});

describe('mirror listener over TLS with client certificates', () => {
  let dir: string;
  const pem = (name: string): Buffer => readFileSync(join(dir, name));
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sidetap-mtls-'));
    const openssl = (...args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    };
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=sidetap test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
    for (const [name, cn] of [
      ['server', 'localhost'],
      ['client', 'kong-gateway'],
    ] as const) {
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
      writeFileSync(join(dir, `${name}.ext`), name === 'server' ? 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' : 'extendedKeyUsage=clientAuth\n');
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
    }
    // A client certificate from a CA the listener does not trust.
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=stranger', '-keyout', 'stranger.key', '-out', 'stranger.pem');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes records from a client whose certificate the CA signed, with no token needed', async () => {
    const delivered: HttpExchange[] = [];
    const server = await startMirrorServer(baseOptions(delivered, { token: undefined, tls: { cert: pem('server.pem'), key: pem('server.key'), ca: pem('ca.pem') } }));
    try {
      expect(server.url).toBe(`https://127.0.0.1:${server.address.port}`);
      const reply = await send(server, '/v1/kong', { tls: { ca: pem('ca.pem'), cert: pem('client.pem'), key: pem('client.key') }, body: fixture('kong-http-log-batch.json') });
      expect(reply).toMatchObject({ status: 200, body: { accepted: 2 } });
      await expect(send(server, '/v1/kong', { tls: { ca: pem('ca.pem') }, body: '[]' })).rejects.toThrow();
      await expect(send(server, '/v1/kong', { tls: { ca: pem('ca.pem'), cert: pem('stranger.pem'), key: pem('stranger.key') }, body: '[]' })).rejects.toThrow();
      expect(delivered).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('checks the token over TLS when one is set, and refuses to start with neither token nor CA', async () => {
    const delivered: HttpExchange[] = [];
    const server = await startMirrorServer(baseOptions(delivered, { tls: { cert: pem('server.pem'), key: pem('server.key') } }));
    try {
      expect((await send(server, '/v1/kong', { tls: { ca: pem('ca.pem') }, body: '[]' })).status).toBe(401);
      expect((await send(server, '/v1/kong', { tls: { ca: pem('ca.pem') }, headers: bearer, body: '[]' })).status).toBe(200);
    } finally {
      await server.close();
    }
    await expect(startMirrorServer(baseOptions(delivered, { token: undefined }))).rejects.toThrow(
      'The mirror listener needs a token (--mirror-token-file) or client certificates (--mirror-tls-ca).',
    );
  });
});
