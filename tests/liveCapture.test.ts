// Live capture on the loopback interface through libpcap (cap): a real HTTP server and client on
// 127.0.0.1 exchange keep-alive, chunked and gzip traffic while sidetap captures, and every
// exchange must be reported with the fields the client saw. Skipped, with the reason, only where
// this machine does not permit opening the interface.
import { createServer, Agent, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { httpExchangeSchema } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { captureConfigSchema, CaptureSourceError, loadCap, startLiveCapture } from '@sidetap/capture';
import type { CaptureConfig, LiveCapture } from '@sidetap/capture';
import { TEST_REDACTION_KEY } from './helpers/captureToArray';

/** Opening lo needs CAP_NET_RAW; anything but a permission error is a failure, not a skip. */
function liveCapturePermitted(): { ok: boolean; why: string } {
  try {
    const probe = startLiveCapture({ iface: 'lo', bpf: 'tcp port 9', config: captureConfigSchema.parse({}), redactionKey: TEST_REDACTION_KEY, onExchange: () => undefined });
    void probe.stop();
    return { ok: true, why: '' };
  } catch (err) {
    if (err instanceof CaptureSourceError && /not permitted/.test(err.message)) return { ok: false, why: err.message };
    throw err;
  }
}

const permitted = liveCapturePermitted();
const describeLive = permitted.ok ? describe : describe.skip;
if (!permitted.ok) console.warn(`live capture tests skipped: ${permitted.why}`);

const JSON_BODY = JSON.stringify({ id: 7, name: 'alice', roles: ['admin'] });
const CHUNKS = ['{"items":[', '1,2,3', ',4,5,6', ']}'];
const GZIP_TEXT = JSON.stringify({ hello: 'world', words: Array.from({ length: 200 }, (_, i) => `w${i}`) });

function handler(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = req.url ?? '/';
    if (url.startsWith('/chunked')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Each write goes out as its own chunk: the response is chunked on the wire.
      for (const c of CHUNKS) res.write(c);
      res.end();
    } else if (url.startsWith('/gzip')) {
      const payload = gzipSync(Buffer.from(GZIP_TEXT));
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': payload.length });
      res.end(payload);
    } else if (url.startsWith('/echo')) {
      const body = Buffer.concat(chunks);
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    } else {
      res.writeHead(url.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(JSON_BODY) });
      res.end(JSON_BODY);
    }
  });
}

interface Sent {
  method: string;
  path: string;
  requestBody: string;
  status: number;
  body: string;
  chunked: boolean;
  clientPort: number;
}

function send(port: number, agent: Agent, method: string, path: string, body = '', headers: Record<string, string> = {}): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: { host: 'api.test', ...headers } }, (res) => {
      const clientPort = res.socket.localPort ?? 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let raw = Buffer.concat(chunks);
        if (res.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
        resolve({ method, path, requestBody: body, status: res.statusCode ?? 0, body: raw.toString('utf8'), chunked: res.headers['transfer-encoding'] === 'chunked', clientPort });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function waitFor(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeLive('live capture on lo', () => {
  let server: Server;
  let port = 0;
  const running: LiveCapture[] = [];

  beforeAll(async () => {
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function start(exchanges: HttpExchange[], config: Partial<CaptureConfig> = {}, extra: { workers?: number; snaplen?: number; tickMs?: number } = {}): LiveCapture {
    const capture = startLiveCapture({
      iface: 'lo',
      bpf: `tcp port ${port}`,
      config: captureConfigSchema.parse(config),
      redactionKey: TEST_REDACTION_KEY,
      onExchange: (ex) => exchanges.push(ex),
      ...extra,
    });
    running.push(capture);
    return capture;
  }

  async function traffic(): Promise<Sent[]> {
    // Two keep-alive connections: several requests ride each one.
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    const sent: Sent[] = [];
    try {
      sent.push(await send(port, agent, 'GET', '/api/users/7?expand=roles', '', { authorization: 'Bearer live-secret-token' }));
      sent.push(await send(port, agent, 'GET', '/chunked'));
      sent.push(await send(port, agent, 'GET', '/gzip', '', { 'accept-encoding': 'gzip' }));
      sent.push(await send(port, agent, 'POST', '/echo', JSON.stringify({ qty: 2, item: 'book' }), { 'content-type': 'application/json' }));
      sent.push(await send(port, agent, 'GET', '/missing'));
      sent.push(...(await Promise.all([1, 2, 3, 4].map((i) => send(port, agent, 'GET', `/api/items/${i}`)))));
    } finally {
      agent.destroy();
    }
    return sent;
  }

  function check(exchanges: HttpExchange[], sent: Sent[]): void {
    expect(exchanges).toHaveLength(sent.length);
    const byKey = new Map(exchanges.map((ex) => [`${ex.source.port} ${ex.http.request.method} ${ex.url.original}`, ex]));
    for (const s of sent) {
      const ex = byKey.get(`${s.clientPort} ${s.method} ${s.path}`);
      expect({ request: `${s.method} ${s.path}`, found: ex !== undefined }).toEqual({ request: `${s.method} ${s.path}`, found: true });
      if (ex === undefined) continue;
      expect(httpExchangeSchema.safeParse(ex).success).toBe(true);
      expect(ex.sidetap.capture.source).toBe('live');
      expect(ex.sidetap.capture.flags).toEqual([]);
      expect(ex.source.ip).toBe('127.0.0.1');
      expect(ex.destination).toMatchObject({ ip: '127.0.0.1', port });
      expect(ex.url.domain).toBe('api.test');
      expect(ex.http.response?.status_code).toBe(s.status);
      expect(ex.http.request.body.bytes).toBe(Buffer.byteLength(s.requestBody));
      expect(ex.http.response?.body.content).toBe(s.body);
      if (s.chunked) expect(ex.http.response?.headers['transfer-encoding']).toBe('chunked');
      // Stamped on arrival: the exchange happened within the last minute, and took no negative time.
      expect(Math.abs(Date.now() - Date.parse(ex['@timestamp']))).toBeLessThan(60_000);
      expect(ex.event.duration).toBeGreaterThanOrEqual(0);
    }
    const gzip = exchanges.find((ex) => ex.url.path === '/gzip');
    expect(gzip?.http.response?.headers['content-encoding']).toBe('gzip');
    expect(sent.find((s) => s.path === '/chunked')?.chunked).toBe(true);
    // Keep-alive: nine requests over two connections.
    expect(new Set(exchanges.map((ex) => ex.source.port)).size).toBeLessThanOrEqual(2);
    // The bearer token is hashed, never kept.
    expect(JSON.stringify(exchanges)).not.toContain('live-secret-token');
  }

  it('reports every keep-alive, chunked and gzip exchange the client made', async () => {
    const exchanges: HttpExchange[] = [];
    const capture = start(exchanges);
    const sent = await traffic();
    // Every response ended by its length or last chunk: the exchanges come before any stop.
    await waitFor(() => exchanges.length >= sent.length, `${sent.length} exchanges`);
    const summary = await capture.stop();
    check(exchanges, sent);
    expect(summary.exchanges).toBe(sent.length);
    expect(summary.packets).toBeGreaterThan(sent.length * 2);
    expect(summary.counters['capture_live_iface_dropped_total']).toBe(0);
  });

  it('gives the same exchanges with reassembly on two worker threads', async () => {
    const exchanges: HttpExchange[] = [];
    const capture = start(exchanges, {}, { workers: 2 });
    const sent = await traffic();
    await waitFor(() => exchanges.length >= sent.length, `${sent.length} exchanges`);
    const summary = await capture.stop();
    check(exchanges, sent);
    expect(summary.counters['capture_worker_segments_dropped_total'] ?? 0).toBe(0);
    expect(summary.counters['capture_exchanges_emitted_total']).toBe(sent.length);
  });

  it('closes an idle connection on the wall clock while the link is quiet', async () => {
    const exchanges: HttpExchange[] = [];
    start(exchanges, { flowIdleTimeoutSec: 1 }, { tickMs: 100 });
    // A request whose body never finishes, on a connection left open: only idle expiry ends it.
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /slow HTTP/1.1\r\nhost: api.test\r\ncontent-length: 100\r\n\r\n0123456789');
    try {
      await waitFor(() => exchanges.length === 1, 'the idle connection to be closed', 15_000);
      expect(exchanges[0]?.url.path).toBe('/slow');
      expect(exchanges[0]?.http.response).toBeUndefined();
      expect(exchanges[0]?.sidetap.capture.flags).toContain('truncated_body');
    } finally {
      socket.destroy();
    }
  });

  it('counts packets the snap length cut', async () => {
    const exchanges: HttpExchange[] = [];
    const capture = start(exchanges, {}, { snaplen: 100 });
    const agent = new Agent({ keepAlive: false });
    await send(port, agent, 'GET', '/api/users/1');
    agent.destroy();
    await waitFor(() => capture.engine.counters.get('capture_live_packets_truncated_total') > 0, 'a cut packet');
    await capture.stop();
  });

  it('names the flag in one sentence for a bad filter, interface or snap length', () => {
    const base = { config: captureConfigSchema.parse({}), redactionKey: TEST_REDACTION_KEY, onExchange: () => undefined };
    expect(() => startLiveCapture({ ...base, iface: 'lo', bpf: 'tcp port ((' })).toThrow(/^--bpf "tcp port \(\(": libpcap cannot compile it \(.+\)\.$/);
    expect(() => startLiveCapture({ ...base, iface: 'no-such-if0' })).toThrow(/^--iface no-such-if0: no such interface \(libpcap sees .*lo.*\)\.$/);
    expect(() => startLiveCapture({ ...base, iface: 'lo', snaplen: 10 })).toThrow('--snaplen: expected a whole number of bytes from 64 to 65535, got 10.');
    expect(() => startLiveCapture({ ...base, iface: 'lo', bufferSizeMb: 0 })).toThrow('--buffer-size: expected MiB from 1 to 2047, got 0.');
  });
});

describe('live capture without libpcap', () => {
  it('says what to install when the cap module cannot be loaded', () => {
    const absent = (id: string): never => {
      const err = new Error(`Cannot find module '${id}'`) as NodeJS.ErrnoException;
      err.code = 'MODULE_NOT_FOUND';
      throw err;
    };
    expect(() => loadCap(absent)).toThrow(CaptureSourceError);
    expect(() => loadCap(absent)).toThrow(
      '--iface: live capture needs the optional "cap" module (libpcap), which could not be loaded (it is not installed); install libpcap with its headers (apt-get install libpcap-dev, or dnf install libpcap-devel) and then reinstall sidetap\'s dependencies (npm install) so cap is built.',
    );
    const brokenBuild = (): never => {
      throw new Error('libpcap.so.0.8: cannot open shared object file: No such file or directory');
    };
    expect(() => loadCap(brokenBuild)).toThrow(/could not be loaded \(libpcap\.so\.0\.8: cannot open shared object file: No such file or directory\); install libpcap/);
  });
});
