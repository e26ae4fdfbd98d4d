// The message-level way into buildExchange: a request and its response that arrive already split
// into method, target, header fields and body (a gateway's record of them) become the same
// HttpMessages the wire parser makes, so redaction, the actor key, body sampling and decoding,
// url.* fields and capture flags are those of an exchange rebuilt from packets.
import { isIPv6 } from 'node:net';
import type { CaptureFlag, HttpExchange } from '@sidetap/core';
import type { ConnectionInfo, Endpoint } from '../tcp/streamConsumer';
import type { ActorMemo } from './actorMemo';
import { requestFraming, responseFraming } from './bodyFraming';
import { buildExchange } from './exchangeBuilder';
import { ExchangeIds } from './exchangeIds';
import { ExchangeSlot } from './exchangeSlot';
import { finishHead } from './headParser';
import type { HttpContext } from './httpContext';
import { HttpMessage } from './httpMessage';
import type { RedactionMemo } from './redactionMemo';
import { TCHAR } from './startLine';

export interface MessageParts {
  /** Header fields in the order sent, as [name, value]; names in any case, pseudo-headers (":path") already removed. */
  headers: ReadonlyArray<readonly [string, string]>;
  /** The body as sent (content codings still applied, transfer coding removed), or as much of it as the record holds. */
  body?: Uint8Array | undefined;
  /** True body size when the record says so: larger than `body` when the record cut it, or the only size when it has no body. */
  bodyBytes?: number | undefined;
  /** `body` already had its content codings removed (a HAR's response text). */
  bodyDecoded?: boolean | undefined;
  /** Head and body bytes on the wire when the record says; otherwise counted from the parts. */
  wireBytes?: number | undefined;
  /** First and last byte of the message, microseconds since the epoch. */
  startUs: number;
  endUs: number;
}

export interface RequestParts extends MessageParts {
  method: string;
  /** Request target as sent (origin form "/a?b", or absolute form). */
  target: string;
  /** "1.1", "2", ... */
  version: string;
}

export interface ResponseParts extends MessageParts {
  status: number;
  reason?: string | undefined;
  version: string;
}

export interface ExchangeParts {
  /** What identifies this exchange among all others; hashed into event.id, so the same record always gets the same id. */
  key: string;
  client: Endpoint;
  server: Endpoint;
  request: RequestParts;
  /** Undefined for a request-only record (flagged unanswered_request). */
  response: ResponseParts | undefined;
  /** Flags the record itself calls for (body_sample_capped when it cut a body, ...). */
  flags: readonly CaptureFlag[];
}

/** Redaction and actor memos; they may be shared by the records of one source connection, as a TCP connection shares them. */
export interface MessageMemos {
  redaction: RedactionMemo;
  actor: ActorMemo;
}

/** The HttpExchange for `parts`, built exactly as one from packets (ctx.source names where it came from). */
export function buildMessageExchange(parts: ExchangeParts, ctx: HttpContext, memos: MessageMemos): HttpExchange {
  const { request, response } = parts;
  const slot = new ExchangeSlot(0);
  for (const flag of parts.flags) slot.addFlag(flag);
  if (response === undefined) slot.addFlag('unanswered_request');

  const req = new HttpMessage();
  req.isRequest = true;
  req.method = request.method;
  req.target = request.target;
  req.version = request.version;
  if (!isToken(request.method) || !isTarget(request.target)) req.addFlag('http_bad_request_line');
  fillHead(req, request.headers, 'request');
  requestFraming(req);
  fillBody(req, request, ctx, slot);
  req.wireBytes = request.wireBytes ?? headBytes(`${request.method} ${request.target} HTTP/${request.version}`, request.headers) + req.bodyBytes;
  slot.req = req;

  if (response !== undefined) {
    const res = new HttpMessage();
    res.isRequest = false;
    res.statusCode = response.status;
    res.reason = response.reason;
    res.version = response.version;
    if (!Number.isInteger(response.status) || response.status < 100 || response.status > 599) res.addFlag('http_bad_status_line');
    fillHead(res, response.headers, 'status');
    // Only the framing headers a response really carried are judged: a gateway's record of a
    // response without them says nothing about how its body was delimited.
    if (res.contentLengthLines > 0 || res.header('transfer-encoding') !== undefined) responseFraming(res, request.method);
    fillBody(res, response, ctx, slot);
    res.wireBytes = response.wireBytes ?? headBytes(`HTTP/${response.version} ${response.status} ${response.reason ?? ''}`, response.headers) + res.bodyBytes;
    slot.res = res;
  }

  const info: ConnectionInfo = {
    id: parts.key,
    a: parts.client,
    b: parts.server,
    ipVersion: isIPv6(parts.client.ip) ? 6 : 4,
    vlan: undefined,
    vni: undefined,
    tunnel: undefined,
    startUs: request.startUs,
    handshakeSeen: true,
  };
  return buildExchange(slot, info, 0, ctx, { redaction: memos.redaction, actor: memos.actor, ids: new ExchangeIds(parts.key) });
}

/** Fields as the wire parser leaves them: names lower-cased, malformed ones dropped or flagged as parseHead does. */
function fillHead(msg: HttpMessage, headers: ReadonlyArray<readonly [string, string]>, kind: 'request' | 'status'): void {
  const fields = msg.fields;
  for (const [rawName, value] of headers) {
    if (!isToken(rawName)) {
      msg.addFlag('http_invalid_header');
      continue;
    }
    if (hasControl(value)) msg.addFlag('http_invalid_header');
    const name = rawName.toLowerCase();
    if (name === 'content-length') msg.contentLengthLines++;
    fields.push(name, value);
  }
  finishHead(msg, kind);
}

function fillBody(msg: HttpMessage, parts: MessageParts, ctx: HttpContext, slot: ExchangeSlot): void {
  msg.firstTsUs = parts.startUs;
  msg.lastTsUs = Math.max(parts.startUs, parts.endUs);
  const body = parts.body;
  // A decoded body whose stated size is 0 (a HAR's 304 served from cache) has no bytes to count or sample.
  if (body === undefined || body.length === 0 || (parts.bodyDecoded === true && parts.bodyBytes === 0)) {
    // No bytes in the record: the size it states, else what the head announced; never a sample.
    msg.bodyBytes = parts.bodyBytes ?? (msg.contentLengthLines > 0 ? msg.contentLength : 0);
    msg.sampleOpen = false;
    return;
  }
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.length);
  msg.addBody(buf, 0, buf.length, { cap: ctx.config.bodyRawSampleBytes, budget: ctx.sampleBudget });
  if (parts.bodyDecoded === true) {
    msg.contentDecoded = true;
    if (parts.bodyBytes !== undefined) msg.bodyBytes = parts.bodyBytes;
  } else if (parts.bodyBytes !== undefined && parts.bodyBytes > buf.length) {
    // The record holds only the first part of the body (a tap's buffer limit).
    msg.bodyBytes = parts.bodyBytes;
    msg.sampleOpen = false;
    slot.addFlag('body_sample_capped');
  }
}

/** Bytes of a head as HTTP/1.1 would send it: the start line, each field line, the blank line. */
function headBytes(startLine: string, headers: ReadonlyArray<readonly [string, string]>): number {
  let n = Buffer.byteLength(startLine) + 4;
  for (const [name, value] of headers) n += name.length + Buffer.byteLength(value) + 4;
  return n;
}

function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let k = 0; k < s.length; k++) if (TCHAR[s.charCodeAt(k)] !== 1) return false;
  return true;
}

/** A request target has no whitespace or control characters (RFC 9112 §3.2). */
function isTarget(s: string): boolean {
  if (s.length === 0) return false;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c <= 0x20 || c === 0x7f) return false;
  }
  return true;
}

function hasControl(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}
