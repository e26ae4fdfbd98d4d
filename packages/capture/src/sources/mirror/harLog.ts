// HAR 1.2 (the HTTP Archive browsers and proxies export): log.entries[], each a request with its
// response as the client saw them. The client's address is not in a HAR, so it is 0.0.0.0; the
// server's is serverIPAddress with the URL's port. Response content.text is already decoded by
// the browser (content.encoding "base64" for binary), so it is never decoded again; bodySize,
// the bytes as transferred, is http.response.body.bytes. A status of 0 (a request the browser
// gave up on) is a request without a response.
import { z } from 'zod';
import type { ExchangeParts, ResponseParts } from '../../http/messageExchange';
import { splitPseudoHeaders } from './headerPairs';
import type { HeaderPair } from './headerPairs';
import { splitUrl } from './absoluteUrl';
import { jsonErrorOffset } from './jsonErrorOffset';
import { jsonReason } from './jsonValues';
import { PayloadKeys } from './payloadKeys';
import { eachRecord, PayloadError, readRecord, recordError } from './recordFault';
import type { ParsedBatch } from './recordFault';
import { base64Bytes, httpVersion, ipAddress, rfc3339Us, UNKNOWN_ENDPOINT } from './recordValues';

const harHeader = z.object({ name: z.string(), value: z.string() });
const harEntrySchema = z.object({
  startedDateTime: z.string(),
  time: z.number().optional(),
  serverIPAddress: z.string().optional(),
  request: z.object({
    method: z.string(),
    url: z.string(),
    httpVersion: z.string().optional(),
    headers: z.array(harHeader),
    postData: z.object({ text: z.string().optional(), encoding: z.string().optional() }).optional(),
    headersSize: z.number().optional(),
    bodySize: z.number().optional(),
  }),
  response: z.object({
    status: z.number().int(),
    statusText: z.string().optional(),
    httpVersion: z.string().optional(),
    headers: z.array(harHeader),
    content: z.object({ size: z.number().optional(), text: z.string().optional(), encoding: z.string().optional() }).optional(),
    headersSize: z.number().optional(),
    bodySize: z.number().optional(),
  }),
});

/** The entries of a parsed HAR document, or a PayloadError when it is not one. */
export function harEntries(doc: unknown): unknown[] {
  const log = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)['log'] : undefined;
  const entries = typeof log === 'object' && log !== null ? (log as Record<string, unknown>)['entries'] : undefined;
  if (!Array.isArray(entries)) throw new PayloadError('not a HAR document (no log.entries list)');
  return entries;
}

/** Exchanges of a HAR document's entries; `payload` (the document's bytes) keys their event ids. */
export function parseHarEntries(entries: readonly unknown[], payload: Uint8Array): ParsedBatch {
  const keys = new PayloadKeys('har', payload);
  return eachRecord(entries, (value, label, index) => harExchange(value, label, keys.at(index)), (index) => `entry ${index}`);
}

/** A HAR payload as posted: the document's bytes. */
export function parseHarPayload(payload: Buffer): ParsedBatch {
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw new PayloadError(`not JSON at byte offset ${Math.max(0, jsonErrorOffset(payload))} (${jsonReason(err)})`);
  }
  return parseHarEntries(harEntries(doc), payload);
}

function harExchange(value: unknown, label: string, key: string): ExchangeParts {
  const e = readRecord(harEntrySchema, value, label);
  const startUs = rfc3339Us(e.startedDateTime);
  if (startUs === undefined) throw recordError(label, 'startedDateTime is not an ISO 8601 time');
  const endUs = startUs + (e.time !== undefined && e.time > 0 ? Math.round(e.time * 1000) : 0);
  const url = splitUrl(e.request.url);
  if (url === undefined) throw recordError(label, 'request.url is not an absolute URL');

  const req = splitPseudoHeaders(e.request.headers.map((h): HeaderPair => [h.name, h.value]));
  // An HTTP/1.1 client always sends Host; HTTP/2 entries carry it as :authority (taken in above).
  if (!req.headers.some(([n]) => n.toLowerCase() === 'host')) req.headers.unshift(['Host', url.authority]);
  const post = e.request.postData;
  const reqBody = post?.text === undefined ? undefined : post.encoding === 'base64' ? base64Bytes(post.text, label, 'request.postData.text') : Buffer.from(post.text, 'utf8');
  const version = httpVersion(e.request.httpVersion);

  let response: ResponseParts | undefined;
  const r = e.response;
  if (r.status !== 0) {
    const content = r.content;
    const text = content?.text;
    const resBody = text === undefined ? undefined : content?.encoding === 'base64' ? base64Bytes(text, label, 'response.content.text') : Buffer.from(text, 'utf8');
    const transferred = r.bodySize !== undefined && r.bodySize >= 0 ? r.bodySize : content?.size !== undefined && content.size >= 0 ? content.size : undefined;
    response = {
      status: r.status,
      reason: r.statusText === '' ? undefined : r.statusText,
      version: r.httpVersion === undefined || r.httpVersion === '' ? version : httpVersion(r.httpVersion),
      headers: splitPseudoHeaders(r.headers.map((h): HeaderPair => [h.name, h.value])).headers,
      body: resBody,
      bodyDecoded: true,
      bodyBytes: transferred,
      wireBytes: wire(r.headersSize, r.bodySize),
      startUs,
      endUs,
    };
  }

  const serverIp = e.serverIPAddress === undefined ? undefined : ipAddress(e.serverIPAddress);
  return {
    key,
    client: UNKNOWN_ENDPOINT,
    server: { ip: serverIp ?? UNKNOWN_ENDPOINT.ip, port: url.port },
    request: {
      method: e.request.method,
      target: url.target,
      version,
      headers: req.headers,
      body: reqBody,
      bodyBytes: e.request.bodySize !== undefined && e.request.bodySize >= 0 ? e.request.bodySize : undefined,
      wireBytes: wire(e.request.headersSize, e.request.bodySize),
      startUs,
      endUs: startUs,
    },
    response,
    flags: [],
  };
}

/** headersSize + bodySize when the HAR knows both (-1 means unknown). */
function wire(headersSize: number | undefined, bodySize: number | undefined): number | undefined {
  return headersSize !== undefined && bodySize !== undefined && headersSize >= 0 && bodySize >= 0 ? headersSize + bodySize : undefined;
}
