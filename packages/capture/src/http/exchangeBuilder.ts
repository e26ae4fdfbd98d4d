// Turns a finished request/response pair into the HttpExchange contract (ECS field names).
import { CAPTURE_FLAG_NAMES } from '@sidetap/core';
import type { ActorIdentity, CaptureFlag, HttpExchange } from '@sidetap/core';
import type { ConnectionInfo, Direction } from '../tcp/streamConsumer';
import type { ActorMemo } from './actorMemo';
import { bodyFields } from './bodyContent';
import { mimeTypeOf } from './content';
import type { ExchangeIds } from './exchangeIds';
import type { ExchangeSlot } from './exchangeSlot';
import { seenBefore, setField } from './headerRecord';
import type { HttpContext } from './httpContext';
import type { HttpMessage } from './httpMessage';
import type { RedactionMemo } from './redactionMemo';
import { redactUrl, urlParts } from './urlParts';

/** What one connection keeps from exchange to exchange. */
export interface ConnectionMemos {
  redaction: RedactionMemo;
  actor: ActorMemo;
  ids: ExchangeIds;
}

type Capture = HttpExchange['sidetap']['capture'];
type Response = NonNullable<HttpExchange['http']['response']>;

const FLAG_ORDER = new Map<CaptureFlag, number>(CAPTURE_FLAG_NAMES.map((f, i) => [f, i]));
const byVocabulary = (x: CaptureFlag, y: CaptureFlag): number => (FLAG_ORDER.get(x) ?? 0) - (FLAG_ORDER.get(y) ?? 0);

/** The exchange for `slot`; `clientDir` says which side of `info` is the client. */
export function buildExchange(slot: ExchangeSlot, info: ConnectionInfo, clientDir: Direction, ctx: HttpContext, memos: ConnectionMemos): HttpExchange {
  const req = slot.req;
  const res = slot.res;
  const client = clientDir === 0 ? info.a : info.b;
  const server = clientDir === 0 ? info.b : info.a;
  const memo = memos.redaction;

  const flags: CaptureFlag[] = [];
  if (!info.handshakeSeen) flags.push('midstream');
  addAll(flags, slot.flags);
  if (req !== undefined) addAll(flags, req.flags);
  if (res !== undefined) addAll(flags, res.flags);
  if (req !== undefined && res !== undefined && req.version.charCodeAt(0) !== res.version.charCodeAt(0)) addFlag(flags, 'http_version_mismatch');

  // The actor key needs the credentials before redaction hides them.
  const actor = memos.actor.actor(req === undefined ? NO_HEADERS : req.record, client.ip);

  const reqMime = mimeTypeOf(req?.header('content-type'));
  const request: HttpExchange['http']['request'] = {
    method: req?.method ?? '',
    headers: req === undefined ? {} : redactedHeaders(req, memo),
    body: req === undefined ? { bytes: 0 } : bodyFields(req, reqMime, ctx, flags),
  };
  if (reqMime !== undefined) request.mime_type = reqMime;

  let response: Response | undefined;
  if (res !== undefined) {
    const resMime = mimeTypeOf(res.header('content-type'));
    response = { status_code: res.statusCode, headers: redactedHeaders(res, memo), body: bodyFields(res, resMime, ctx, flags) };
    if (res.reason !== undefined) response.reason = res.reason;
    if (resMime !== undefined) response.mime_type = resMime;
  }

  const source: HttpExchange['source'] = { ip: client.ip, port: client.port };
  if (req !== undefined) source.bytes = req.wireBytes;
  const destination: HttpExchange['destination'] = { ip: server.ip, port: server.port };
  if (res !== undefined) destination.bytes = res.wireBytes + slot.interimBytes;

  flags.sort(byVocabulary);
  const capture: Capture = { source: ctx.source, flags };
  if (info.vlan !== undefined) capture.vlan = info.vlan;
  if (info.vni !== undefined) capture.vni = info.vni;
  if (ctx.file !== undefined) capture.file = ctx.file;

  const first = req ?? res;
  const event: HttpExchange['event'] = {
    id: memos.ids.id(slot.index),
    kind: 'event',
    category: ['network'],
    type: ['connection', 'protocol'],
    dataset: 'sidetap.exchange',
  };
  if (req !== undefined && res !== undefined) event.duration = Math.max(0, Math.round((res.lastTsUs - req.firstTsUs) * 1000));

  const http: HttpExchange['http'] = { version: req?.version ?? res?.version ?? '1.1', request };
  if (response !== undefined) http.response = response;

  const exchange: HttpExchange = {
    '@timestamp': isoTime(first?.firstTsUs ?? info.startUs),
    event,
    source,
    destination,
    network: { transport: 'tcp', type: info.ipVersion === 6 ? 'ipv6' : 'ipv4', protocol: 'http' },
    http,
    url: req === undefined ? { original: '', path: '' } : redactUrl(urlParts(req.target, req.header('host')), ctx.redactor),
    sidetap: actor.credential === undefined ? { capture, actor_key: actor.key } : { capture, actor_key: actor.key, credential: credentialOf(actor, actor.credential) },
  };
  const userAgent = req?.header('user-agent');
  if (userAgent !== undefined) exchange.user_agent = { original: userAgent };
  return exchange;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Headers with secret values hashed; each repeat is redacted before joining (Set-Cookie lists).
 * Without secrets it is the message's own record: the message is finished with once emitted.
 */
function redactedHeaders(msg: HttpMessage, memo: RedactionMemo): Record<string, string> {
  const fields = msg.fields;
  let secret = false;
  for (let k = 0; k < fields.length && !secret; k += 2) secret = memo.isSecret(fields[k] as string);
  if (!secret) return msg.record;
  const out: Record<string, string> = {};
  for (let k = 0; k < fields.length; k += 2) {
    const name = fields[k] as string;
    const value = memo.redact(name, fields[k + 1] as string);
    setField(out, name, value, seenBefore(out, fields, k, name));
  }
  return out;
}

let isoSecond = Number.NaN;
let isoPrefix = '';
/** ISO 8601 with milliseconds; the date and time up to the second is reused while it does not change. */
function isoTime(tsUs: number): string {
  const ms = Number.isFinite(tsUs) ? Math.floor(tsUs / 1000) : 0;
  if (ms < 0 || ms > MAX_FOUR_DIGIT_YEAR_MS) return new Date(Math.min(Math.max(ms, -8.64e15), 8.64e15)).toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const frac = ms - second * 1000;
  return `${isoPrefix}${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
}
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

function addAll(into: CaptureFlag[], flags: readonly CaptureFlag[]): void {
  for (let k = 0; k < flags.length; k++) addFlag(into, flags[k] as CaptureFlag);
}

function addFlag(into: CaptureFlag[], flag: CaptureFlag): void {
  if (!into.includes(flag)) into.push(flag);
}

/** The exchange's view of the credential: its hash and, for a JWT, what the token says about itself. */
function credentialOf(actor: ActorIdentity, hash: string): NonNullable<HttpExchange['sidetap']['credential']> {
  if (actor.jwt === undefined) return { hash };
  const f = actor.jwtFacts;
  return {
    hash,
    jwt: {
      status: actor.jwt,
      ...(f?.alg !== undefined ? { alg: f.alg } : {}),
      ...(f?.exp !== undefined ? { exp: f.exp } : {}),
      ...(f?.nbf !== undefined ? { nbf: f.nbf } : {}),
      ...(f?.iat !== undefined ? { iat: f.iat } : {}),
      ...(actor.jwtInvalid !== undefined ? { invalid_reason: actor.jwtInvalid } : {}),
    },
  };
}
