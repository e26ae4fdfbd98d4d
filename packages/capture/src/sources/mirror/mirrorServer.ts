// The gateway mirror listener (`sidetap collect --mirror-http`): one HTTP(S) server taking Kong
// http-log payloads, Envoy tap traces, HAR files, native batches and NGINX-mirrored requests,
// each turned into HttpExchanges handed to onExchange. Senders are authenticated by a bearer
// token (compared in constant time) and/or a client certificate. Memory stays bounded: bodies
// are capped (also after gunzip), requests in progress are capped, and while the pipeline is
// saturated new requests get 429 with Retry-After instead of being buffered. A 2xx means every
// record it counts was delivered (onExchange returned, its promise settled).
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ConfigError, Counters } from '@sidetap/core';
import type { ActorKeyOptions, HttpExchange, Redactor } from '@sidetap/core';
import type { CaptureConfig } from '../../captureConfig';
import type { ExchangeParts, MessageMemos } from '../../http/messageExchange';
import { parseEnvoyPayload } from './envoyTap';
import { parseHarPayload } from './harLog';
import { parseKongPayload } from './kongLog';
import { MirrorExchanges } from './mirrorExchanges';
import type { MirrorFormat } from './mirrorExchanges';
import { mirrorServerConfigSchema } from './mirrorServerConfig';
import type { MirrorServerConfig, MirrorServerConfigInput } from './mirrorServerConfig';
import { nativeEncoding, parseNativePayload } from './nativeBatch';
import { nginxExchange, NGINX_MIRROR_PREFIX } from './nginxMirror';
import { PayloadError } from './recordFault';
import type { ParsedBatch, RecordFault } from './recordFault';
import { gunzipBounded, readBody } from './requestBody';
import { SenderToken } from './senderToken';

export interface MirrorTls {
  /** PEM certificate chain and key the listener presents. */
  cert: string | Buffer;
  key: string | Buffer;
  /** PEM CA bundle: when given, every client must present a certificate it signed (mTLS). */
  ca?: string | Buffer | undefined;
}

export interface MirrorServerOptions extends MirrorServerConfigInput {
  /** Bearer token senders present (Authorization: Bearer, or X-Sidetap-Token); optional only with client certificates. */
  token?: string | undefined;
  tls?: MirrorTls | undefined;
  config: CaptureConfig;
  redactor: Redactor;
  actor?: ActorKeyOptions | undefined;
  counters?: Counters | undefined;
  /** Receives every exchange; a returned promise is awaited before the next (backpressure). */
  onExchange: (exchange: HttpExchange) => void | Promise<void>;
  /** The pipeline's own saturation signal: false makes new requests get 429. */
  accepting?: (() => boolean) | undefined;
}

export interface MirrorServer {
  /** Where it listens (the port chosen when 0 was asked). */
  address: { host: string; port: number };
  /** http(s)://host:port */
  url: string;
  /** capture_mirror_*_total, capture_exchanges_emitted_total, capture_http_flags_total. */
  counters: Counters;
  /** Parsed records not yet taken by onExchange. */
  readonly pendingRecords: number;
  /** Stops listening and resolves once requests in progress are answered. */
  close(): Promise<void>;
}

const ROUTES: Record<string, MirrorFormat> = { '/v1/kong': 'kong', '/v1/envoy': 'envoy', '/v1/har': 'har', '/v1/exchanges': 'native' };
/** Fault sentences sent back per response; the counts cover all of them. */
const FAULTS_REPORTED = 10;
/** After close() asks, connections still open this long are cut. */
const CLOSE_GRACE_MS = 5000;

type Rejection = 'unauthorized' | 'not_found' | 'method_not_allowed' | 'too_large' | 'unsupported_encoding' | 'bad_payload' | 'delivery_failed';

/** Starts the listener; rejects with one sentence when the options or the address cannot be used. */
export async function startMirrorServer(options: MirrorServerOptions): Promise<MirrorServer> {
  const cfg = serverConfig(options);
  const token = options.token;
  if (token !== undefined && token.trim() === '') throw new ConfigError('The mirror token is empty.', 'mirror listener', 'token');
  if (token === undefined && options.tls?.ca === undefined) {
    throw new ConfigError('The mirror listener needs a token (--mirror-token-file) or client certificates (--mirror-tls-ca).', 'mirror listener', 'token');
  }
  const listener = new MirrorListener(cfg, options);
  const server = options.tls === undefined ? createHttpServer(listener.httpOptions()) : createHttpsServer({ ...listener.httpOptions(), ...tlsOptions(options.tls) });
  listener.attach(server);
  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException): void => reject(new Error(`The mirror listener cannot listen on ${cfg.host}:${cfg.port} (${err.code ?? err.message}).`));
    server.once('error', failed);
    server.listen(cfg.port, cfg.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
  return {
    address: { host: cfg.host, port },
    url: `${options.tls === undefined ? 'http' : 'https'}://${hostInUrl}:${port}`,
    counters: listener.counters,
    get pendingRecords() {
      return listener.pending;
    },
    close: () => listener.close(server),
  };
}

function serverConfig(options: MirrorServerOptions): MirrorServerConfig {
  // The limits sit beside the dependencies in the options; the schema sees only its own keys.
  const given = options as unknown as Record<string, unknown>;
  const picked = Object.fromEntries(Object.keys(mirrorServerConfigSchema.shape).flatMap((key) => (given[key] === undefined ? [] : [[key, given[key]]])));
  const result = mirrorServerConfigSchema.safeParse(picked);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const option = issue?.path.join('.') ?? '';
  throw new ConfigError(`Mirror listener option ${option}: ${issue?.message.replace(/^[A-Z][a-z ]*: /, '') ?? 'invalid'}.`, 'mirror listener', option);
}

function tlsOptions(tls: MirrorTls): object {
  const mutual = tls.ca !== undefined;
  return { cert: tls.cert, key: tls.key, ...(mutual ? { ca: tls.ca } : {}), requestCert: mutual, rejectUnauthorized: mutual, minVersion: 'TLSv1.2' };
}

class MirrorListener {
  readonly counters: Counters;
  pending = 0;
  private active = 0;
  private closing = false;
  private readonly exchanges: MirrorExchanges;
  private readonly token: SenderToken | undefined;
  private readonly memosBySocket = new WeakMap<Socket, MessageMemos>();

  constructor(
    private readonly cfg: MirrorServerConfig,
    private readonly options: MirrorServerOptions,
  ) {
    this.exchanges = new MirrorExchanges(options);
    this.counters = this.exchanges.counters;
    this.token = options.token === undefined ? undefined : new SenderToken(options.token);
  }

  httpOptions(): object {
    const { cfg } = this;
    // NGINX forwards the client's head as it came: heads up to capture's own limit must pass.
    return { maxHeaderSize: this.options.config.httpMaxHeaderBytes, requestTimeout: cfg.requestTimeoutSec * 1000 };
  }

  attach(server: Server): void {
    server.maxConnections = this.cfg.maxConnections;
    server.keepAliveTimeout = this.cfg.keepAliveTimeoutSec * 1000;
    server.headersTimeout = Math.min(60_000, this.cfg.requestTimeoutSec * 1000);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => this.fail(res, err));
    });
    server.on('clientError', (_err: Error, socket: Socket) => {
      this.counters.inc('capture_mirror_requests_rejected_total{reason="bad_http"}');
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    server.on('tlsClientError', () => this.counters.inc('capture_mirror_requests_rejected_total{reason="tls"}'));
  }

  async close(server: Server): Promise<void> {
    this.closing = true;
    const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(cut);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path === '/healthz' && req.method === 'GET') return this.reply(req, res, 200, { status: 'ok' });
    const nginx = path.startsWith(`${NGINX_MIRROR_PREFIX}/`);
    const format: MirrorFormat | undefined = nginx ? 'nginx' : ROUTES[path];
    if (!this.authorized(req, nginx)) {
      res.setHeader('www-authenticate', 'Bearer realm="sidetap mirror"');
      return this.reject(req, res, 401, 'unauthorized', 'The request has no valid mirror token.');
    }
    if (format === undefined) return this.reject(req, res, 404, 'not_found', `Nothing is served at ${path}; post to /v1/kong, /v1/envoy, /v1/har, /v1/exchanges or mirror to ${NGINX_MIRROR_PREFIX}/.`);
    if (!nginx && req.method !== 'POST' && req.method !== 'PUT') {
      res.setHeader('allow', 'POST, PUT');
      return this.reject(req, res, 405, 'method_not_allowed', `${path} takes POST.`);
    }
    if (this.saturated()) return this.throttle(req, res);

    const declared = Number(req.headers['content-length']);
    if (declared > this.cfg.maxBodyBytes) return this.tooLarge(req, res, 'as sent');
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    // On the NGINX route the Content-Encoding is the client's, part of the mirrored request.
    const gzipped = !nginx && (encoding === 'gzip' || encoding === 'x-gzip');
    if (!nginx && !gzipped && encoding !== 'identity') return this.reject(req, res, 415, 'unsupported_encoding', `Content-Encoding ${encoding} is not taken; send gzip or identity.`);

    this.active++;
    try {
      let body = await readBody(req, this.cfg.maxBodyBytes);
      if (body === undefined) return this.tooLarge(req, res, 'as sent');
      if (gzipped) {
        const inflated = await gunzipBounded(body, this.cfg.maxBodyBytes);
        if (inflated.kind === 'too_large') return this.tooLarge(req, res, 'after gunzip');
        if (inflated.kind === 'bad') return this.reject(req, res, 400, 'bad_payload', `The body is not valid gzip (${inflated.reason}).`);
        body = inflated.body;
      }
      let batch: ParsedBatch;
      try {
        batch = nginx ? this.nginxBatch(req, url.slice(NGINX_MIRROR_PREFIX.length), body) : parse(format, body, req.headers['content-type']);
      } catch (err) {
        if (!(err instanceof PayloadError)) throw err;
        return this.reject(req, res, 400, 'bad_payload', `The ${format} payload is ${err.message}.`);
      }
      await this.deliver(req, res, format, batch);
    } finally {
      this.active--;
    }
  }

  private nginxBatch(req: IncomingMessage, target: string, body: Buffer): ParsedBatch {
    const batch: ParsedBatch = { parts: [], faults: [] };
    const socket = req.socket;
    try {
      batch.parts.push(
        nginxExchange({
          method: req.method ?? 'GET',
          target,
          rawHeaders: req.rawHeaders,
          body,
          peer: { ip: socket.remoteAddress ?? '0.0.0.0', port: socket.remotePort ?? 0 },
          nowUs: Date.now() * 1000,
        }),
      );
    } catch (err) {
      batch.faults.push({ record: 0, message: (err as Error).message });
    }
    return batch;
  }

  private async deliver(req: IncomingMessage, res: ServerResponse, format: MirrorFormat, batch: ParsedBatch): Promise<void> {
    const { counters, exchanges } = this;
    const memos = this.memosFor(req.socket);
    const faults: RecordFault[] = [...batch.faults];
    const parts: ExchangeParts[] = batch.parts;
    let accepted = 0;
    let failure: unknown;
    this.pending += parts.length;
    let left = parts.length;
    try {
      for (const part of parts) {
        try {
          let exchange: HttpExchange;
          try {
            exchange = exchanges.build(format, part, memos);
          } catch (err) {
            // A bug, not the record's fault, but one record must not cost the batch.
            faults.push({ record: -1, message: `A record could not be built (${(err as Error).message}).` });
            continue;
          }
          const taken = this.options.onExchange(exchange);
          if (taken !== undefined && typeof (taken as Promise<void>).then === 'function') await taken;
          accepted++;
        } finally {
          left--;
          this.pending--;
        }
      }
    } catch (err) {
      failure = err;
    } finally {
      this.pending -= left;
    }
    const rejected = faults.length;
    if (accepted > 0) counters.inc(`capture_mirror_records_accepted_total{format="${format}"}`, accepted);
    if (rejected > 0) counters.inc(`capture_mirror_records_rejected_total{format="${format}"}`, rejected);
    const errors = faults.slice(0, FAULTS_REPORTED).map((f) => f.message);
    if (failure !== undefined) {
      counters.inc('capture_mirror_requests_rejected_total{reason="delivery_failed"}');
      return this.reply(req, res, 503, { error: `The pipeline did not take record ${accepted} (${(failure as Error).message}); records before it were delivered.`, accepted, rejected, errors });
    }
    if (accepted === 0 && rejected > 0) {
      counters.inc('capture_mirror_requests_rejected_total{reason="bad_payload"}');
      return this.reply(req, res, 400, { error: errors[0], accepted, rejected, errors });
    }
    counters.inc(`capture_mirror_requests_accepted_total{format="${format}"}`);
    if (format === 'nginx') return this.reply(req, res, 204, undefined);
    return this.reply(req, res, 200, { accepted, rejected, errors });
  }

  private memosFor(socket: Socket): MessageMemos {
    let memos = this.memosBySocket.get(socket);
    if (memos === undefined) {
      memos = this.exchanges.memos();
      this.memosBySocket.set(socket, memos);
    }
    return memos;
  }

  private authorized(req: IncomingMessage, nginx: boolean): boolean {
    if (this.options.tls?.ca !== undefined && (req.socket as TLSSocket).authorized !== true) return false;
    return this.token === undefined || this.token.presentedBy(req, nginx);
  }

  private saturated(): boolean {
    return this.active >= this.cfg.maxConcurrentRequests || this.pending >= this.cfg.maxPendingRecords || this.options.accepting?.() === false;
  }

  private throttle(req: IncomingMessage, res: ServerResponse): void {
    this.counters.inc('capture_mirror_requests_throttled_total');
    res.setHeader('retry-after', String(this.cfg.retryAfterSec));
    this.reply(req, res, 429, { error: `The pipeline is saturated; retry after ${this.cfg.retryAfterSec} s.` });
  }

  private tooLarge(req: IncomingMessage, res: ServerResponse, when: string): void {
    // What is left of the body is not read: the connection ends after the answer.
    res.setHeader('connection', 'close');
    this.reject(req, res, 413, 'too_large', `The body is larger than ${this.cfg.maxBodyBytes} bytes ${when}.`);
  }

  private reject(req: IncomingMessage, res: ServerResponse, status: number, reason: Rejection, error: string): void {
    this.counters.inc(`capture_mirror_requests_rejected_total{reason="${reason}"}`);
    this.reply(req, res, status, { error });
  }

  private reply(req: IncomingMessage, res: ServerResponse, status: number, body: object | undefined): void {
    if (res.headersSent) return;
    if (this.closing) res.setHeader('connection', 'close');
    // A body not read yet is read and dropped, so the connection can carry the next request.
    if (!req.complete && res.getHeader('connection') !== 'close') req.resume();
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  }

  private fail(res: ServerResponse, err: unknown): void {
    // Only a bug or a broken connection gets here; the request is answered if it still can be.
    this.counters.inc('capture_mirror_requests_failed_total');
    if (!res.headersSent && !res.destroyed) {
      const text = JSON.stringify({ error: `The request could not be handled (${(err as Error).message}).` });
      res.writeHead(500, { 'content-type': 'application/json', connection: 'close' }).end(text);
    }
  }
}

function parse(format: MirrorFormat, body: Buffer, contentType: string | undefined): ParsedBatch {
  switch (format) {
    case 'kong':
      return parseKongPayload(body);
    case 'envoy':
      return parseEnvoyPayload(body, Date.now() * 1000);
    case 'har':
      return parseHarPayload(body);
    case 'native':
      return parseNativePayload(body, nativeEncoding(contentType));
    case 'nginx':
      throw new Error('NGINX mirrors are not payloads');
  }
}
