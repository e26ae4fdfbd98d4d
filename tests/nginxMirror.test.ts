// A real NGINX in front of a small upstream, with deploy/gateways/nginx's own snippets mirroring
// every request to the sidetap listener: the client gets the upstream's answer, and sidetap gets
// the client's request as sent (secrets redacted, the client's address and port, its own
// X-Forwarded-For), request-only.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRedactor } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { captureConfigSchema, startMirrorServer } from '@sidetap/capture';
import type { MirrorServer } from '@sidetap/capture';

const NGINX = '/usr/sbin/nginx';
const TOKEN = 'nginx-mirror-token-8d2b';
const SNIPPETS = join(__dirname, '../deploy/gateways/nginx');
const redactor = createRedactor({ key: Buffer.alloc(32, 0x44) });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function until(what: string, ready: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

interface ClientReply {
  status: number;
  body: string;
  localPort: number;
}

function viaNginx(port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<ClientReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), localPort }));
    });
    let localPort = 0;
    req.on('socket', (s) => s.on('connect', () => (localPort = s.localPort ?? 0)));
    req.on('error', reject);
    req.end(body);
  });
}

describe('NGINX mirror to the sidetap listener', () => {
  let dir: string;
  let nginx: ChildProcess;
  let app: Server;
  let mirror: MirrorServer;
  let nginxPort: number;
  let mirrorPort: number;
  const exchanges: HttpExchange[] = [];
  const appSaw: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sidetap-nginx-'));
    for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d));
    app = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        appSaw.push(`${req.method} ${req.url}`);
        const out = JSON.stringify({ ok: true, path: req.url });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) }).end(out);
      });
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    mirrorPort = await freePort();
    mirror = await startMirrorServer({
      host: '127.0.0.1',
      port: mirrorPort,
      token: TOKEN,
      config: captureConfigSchema.parse({}),
      redactor,
      onExchange: (ex) => {
        exchanges.push(ex);
      },
    });
    nginxPort = await freePort();
    // The deploy snippets as shipped, with only the listener's port and the token filled in.
    writeFileSync(join(dir, 'sidetap-upstream.conf'), readFileSync(join(SNIPPETS, 'sidetap-upstream.conf'), 'utf8').replace('server 127.0.0.1:9400;', `server 127.0.0.1:${mirrorPort};`));
    writeFileSync(join(dir, 'sidetap-mirror.conf'), readFileSync(join(SNIPPETS, 'sidetap-mirror.conf'), 'utf8').replaceAll('__SIDETAP_MIRROR_TOKEN__', TOKEN));
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  include ${join(dir, 'sidetap-upstream.conf')};
  upstream app { server 127.0.0.1:${(app.address() as AddressInfo).port}; }
  server {
    listen 127.0.0.1:${nginxPort};
    include ${join(dir, 'sidetap-mirror.conf')};
    location / {
      proxy_pass http://app;
      proxy_set_header Host $http_host;
    }
  }
}
`,
    );
    nginx = spawn(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    nginx.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    await until('nginx to listen', async () => {
      if (nginx.exitCode !== null) throw new Error(`nginx exited: ${stderr}${readFileSync(join(dir, 'error.log'), 'utf8')}`);
      return accepts(nginxPort);
    });
  });

  afterAll(async () => {
    if (nginx !== undefined && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx.once('exit', r));
      nginx.kill('SIGTERM');
      await exited;
    }
    await mirror?.close();
    await new Promise((r) => app?.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('mirrors each request as the client sent it, request-only, secrets redacted, from the real client', async () => {
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'grace' })).toString('base64url')}.c2lnbmF0dXJl`;
    const body = gzipSync(Buffer.from(JSON.stringify({ amount: 250, to: 'acct-991', pin: '4321' })));
    const post = await viaNginx(nginxPort, 'POST', '/api/v1/transfers?dry_run=1', {
      host: 'bank.example.test',
      authorization: `Bearer ${jwt}`,
      cookie: 'sessionid=s-77aa; theme=dark',
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'x-forwarded-for': '198.51.100.77',
      'user-agent': 'sidetap-test/1.0',
    }, body);
    const get = await viaNginx(nginxPort, 'GET', '/api/v1/accounts/42', { host: 'bank.example.test', 'x-api-key': 'ak-live-1234' });
    expect([post.status, get.status]).toEqual([200, 200]);
    expect(JSON.parse(post.body)).toEqual({ ok: true, path: '/api/v1/transfers?dry_run=1' });
    await until('both mirrored exchanges', () => exchanges.length >= 2).catch((err: Error) => {
      // What went wrong is in the listener's counters or NGINX's error log.
      throw new Error(`${err.message}: counters ${JSON.stringify(mirror.counters.snapshot())}, nginx: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    });
    const byPath = new Map(exchanges.map((x) => [x.url.path, x]));
    const transfer = byPath.get('/api/v1/transfers');
    const account = byPath.get('/api/v1/accounts/42');

    expect(transfer?.sidetap.capture).toEqual({ source: 'mirror:nginx', flags: ['unanswered_request'] });
    expect(transfer?.http.response).toBeUndefined();
    expect(transfer?.http.request.method).toBe('POST');
    expect(transfer?.url).toEqual({ original: '/api/v1/transfers?dry_run=1', path: '/api/v1/transfers', query: 'dry_run=1', domain: 'bank.example.test' });
    // The client's address and port (the test's socket), not NGINX's connection to sidetap.
    expect(transfer?.source).toMatchObject({ ip: '127.0.0.1', port: post.localPort });
    expect(transfer?.destination).toMatchObject({ ip: '127.0.0.1', port: nginxPort });
    expect(transfer?.http.version).toBe('1.1');
    // Secrets hashed; the actor is the JWT's subject.
    expect(transfer?.http.request.headers['authorization']).toBe(redactor.redactHeader('authorization', `Bearer ${jwt}`));
    expect(JSON.stringify(transfer)).not.toContain(jwt);
    expect(JSON.stringify(transfer)).not.toContain('s-77aa');
    expect(transfer?.sidetap.actor_key).toBe('jwt:grace');
    // The client's own X-Forwarded-For, without the hop NGINX appended; no sidetap header left.
    expect(transfer?.http.request.headers['x-forwarded-for']).toBe('198.51.100.77');
    expect(Object.keys(transfer?.http.request.headers ?? {}).filter((n) => n.startsWith('x-sidetap') || n === 'x-real-ip')).toEqual([]);
    expect(transfer?.user_agent?.original).toBe('sidetap-test/1.0');
    // The gzipped body as sent: its true size, a decoded sample with the PIN redacted.
    expect(transfer?.http.request.body.bytes).toBe(body.length);
    expect(transfer?.http.request.body.content).toContain('"to":"acct-991"');
    expect(transfer?.http.request.body.content).not.toContain('4321');

    expect(account?.source).toMatchObject({ ip: '127.0.0.1', port: get.localPort });
    expect(account?.http.request.headers['x-forwarded-for']).toBeUndefined();
    expect(account?.http.request.headers['x-api-key']).not.toContain('ak-live-1234');
    expect(account?.sidetap.actor_key).toMatch(/^api_key:/);
    expect(transfer?.event.id).not.toBe(account?.event.id);
    expect(appSaw).toEqual(expect.arrayContaining(['POST /api/v1/transfers?dry_run=1', 'GET /api/v1/accounts/42']));
    expect(mirror.counters.get('capture_mirror_requests_accepted_total{format="nginx"}')).toBe(2);
  });

  it('keeps serving clients when the sidetap listener is gone', async () => {
    await mirror.close();
    const reply = await viaNginx(nginxPort, 'GET', '/still/up', { host: 'bank.example.test' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, path: '/still/up' });
  });
});
