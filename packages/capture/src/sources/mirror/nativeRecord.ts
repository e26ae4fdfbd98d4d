// sidetap's own mirror record (docs/mirror.md, "Native batch format"): what a connector writes
// for one request and its response, as NDJSON lines or MessagePack. Bodies are base64 text, or
// MessagePack bin; a record without `response` is a request-only exchange.
import { z } from 'zod';
import type { ExchangeParts, MessageParts, ResponseParts } from '../../http/messageExchange';
import { headerObjectSchema, pairsFromObject } from './headerPairs';
import type { HeaderPair } from './headerPairs';
import { readRecord, recordError } from './recordFault';
import { base64Bytes, endpoint, httpVersion, timeUs, UNKNOWN_ENDPOINT } from './recordValues';

const headersSchema = z.union([z.array(z.tuple([z.string(), z.string()])), headerObjectSchema]);
const bodySchema = z.union([z.string(), z.instanceof(Uint8Array)]);
const endpointSchema = z.object({ ip: z.string(), port: z.number().int().optional() });
const messageFields = {
  version: z.string().optional(),
  headers: headersSchema.optional(),
  body: bodySchema.optional(),
  body_bytes: z.number().int().nonnegative().optional(),
};

export const nativeRecordSchema = z.object({
  id: z.string().optional(),
  started_at: z.union([z.string(), z.number()]),
  duration_ms: z.number().nonnegative().optional(),
  client: endpointSchema,
  server: endpointSchema.optional(),
  request: z.object({ method: z.string().min(1), target: z.string().min(1), ...messageFields }),
  response: z.object({ status: z.number().int(), reason: z.string().optional(), ...messageFields }).optional(),
});

export type NativeRecord = z.input<typeof nativeRecordSchema>;

/** One native record as exchange parts; `fallbackKey` keys a record without an id. */
export function nativeExchange(value: unknown, label: string, fallbackKey: () => string): ExchangeParts {
  const r = readRecord(nativeRecordSchema, value, label);
  const startUs = timeUs(r.started_at, label, 'started_at');
  const endUs = startUs + Math.round((r.duration_ms ?? 0) * 1000);
  const version = httpVersion(r.request.version);
  const request = { method: r.request.method, target: r.request.target, version, startUs, endUs: startUs, ...message(r.request, label, 'request') };
  let response: ResponseParts | undefined;
  if (r.response !== undefined) {
    const { status, reason } = r.response;
    response = { status, reason, version: r.response.version === undefined ? version : httpVersion(r.response.version), startUs, endUs, ...message(r.response, label, 'response') };
  }
  return {
    key: r.id !== undefined && r.id !== '' ? `native:${r.id}` : fallbackKey(),
    client: endpoint(r.client.ip, r.client.port, label, 'client.ip'),
    server: r.server === undefined ? UNKNOWN_ENDPOINT : endpoint(r.server.ip, r.server.port, label, 'server.ip'),
    request,
    response,
    flags: [],
  };
}

type MessageInput = { headers?: z.output<typeof headersSchema> | undefined; body?: string | Uint8Array | undefined; body_bytes?: number | undefined };

function message(m: MessageInput, label: string, field: string): Pick<MessageParts, 'headers' | 'body' | 'bodyBytes'> {
  let headers: HeaderPair[] = [];
  if (Array.isArray(m.headers)) headers = m.headers;
  else if (m.headers !== undefined) {
    const result = pairsFromObject(m.headers);
    if ('bad' in result) throw recordError(label, `${field}.headers.${result.bad} is neither a string nor a list of strings`);
    headers = result.pairs;
  }
  const body = typeof m.body === 'string' ? base64Bytes(m.body, label, `${field}.body`) : m.body;
  return { headers, body, bodyBytes: m.body_bytes };
}
