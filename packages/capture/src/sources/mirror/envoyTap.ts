// Envoy's HTTP tap filter output in its JSON forms (data.tap.v3): TraceWrapper objects holding an
// http_buffered_trace, as the file_per_tap sink writes them and the admin /tap stream sends them
// (pretty-printed, one after another), or http_streamed_trace_segment pieces, assembled by
// trace_id when a payload holds a whole trace. Headers are {key, value} lists in Envoy's HTTP/2
// style (":method", ":path", ":authority", ":status"); bodies are as_bytes (base64) or as_string.
import { z } from 'zod';
import type { CaptureFlag } from '@sidetap/core';
import type { ExchangeParts, RequestParts, ResponseParts } from '../../http/messageExchange';
import type { Endpoint } from '../../tcp/streamConsumer';
import { headerValue, splitPseudoHeaders } from './headerPairs';
import type { HeaderPair } from './headerPairs';
import { jsonFault, jsonValues } from './jsonValues';
import { PayloadKeys } from './payloadKeys';
import { faultOf, readRecord, recordError, tryRecord } from './recordFault';
import type { ParsedBatch } from './recordFault';
import { base64Bytes, endpoint, rfc3339Us, UNKNOWN_ENDPOINT } from './recordValues';

const headerValueSchema = z.object({ key: z.string(), value: z.string().optional(), raw_value: z.string().optional() });
const bodySchema = z.object({ truncated: z.boolean().optional(), as_bytes: z.string().optional(), as_string: z.string().optional() });
const messageSchema = z.object({
  headers: z.array(headerValueSchema).default([]),
  body: bodySchema.optional(),
  headers_received_time: z.string().optional(),
});
const addressSchema = z.object({ socket_address: z.object({ address: z.string(), port_value: z.number().optional() }).optional() });
const connectionSchema = z.object({ local_address: addressSchema.optional(), remote_address: addressSchema.optional() });
const bufferedTraceSchema = z.object({ request: messageSchema, response: messageSchema.optional(), downstream_connection: connectionSchema.optional() });
const segmentSchema = z.object({
  trace_id: z.union([z.string(), z.number()]),
  request_headers: z.object({ headers: z.array(headerValueSchema).default([]) }).optional(),
  request_body_chunk: bodySchema.optional(),
  response_headers: z.object({ headers: z.array(headerValueSchema).default([]) }).optional(),
  response_body_chunk: bodySchema.optional(),
});

type Message = z.output<typeof messageSchema>;
type BufferedTrace = z.output<typeof bufferedTraceSchema>;
type Body = z.output<typeof bodySchema>;

/** Exchanges of an Envoy tap payload; `nowUs` stands in for times the trace does not carry. */
export function parseEnvoyPayload(payload: Buffer, nowUs: number): ParsedBatch {
  const { values, fault } = jsonValues(payload);
  const keys = new PayloadKeys('envoy', payload);
  const batch: ParsedBatch = { parts: [], faults: [] };
  // Streamed segments wait for the rest of their trace; a trace goes out at the place of its first segment.
  const streamed = new Map<string, StreamedTrace>();
  const order: Array<{ index: number; trace: unknown } | StreamedTrace> = [];
  for (let index = 0; index < values.length; index++) {
    const value = values[index] as Record<string, unknown> | null;
    const segment = typeof value === 'object' && value !== null ? value['http_streamed_trace_segment'] : undefined;
    if (segment === undefined) {
      order.push({ index, trace: typeof value === 'object' && value !== null && 'http_buffered_trace' in value ? value['http_buffered_trace'] : value });
      continue;
    }
    try {
      const s = readRecord(segmentSchema, segment, `record ${index}`);
      const id = String(s.trace_id);
      let trace = streamed.get(id);
      if (trace === undefined) {
        trace = new StreamedTrace(index);
        streamed.set(id, trace);
        order.push(trace);
      }
      trace.add(s);
    } catch (err) {
      batch.faults.push(faultOf(err, index, `record ${index}`));
    }
  }
  for (const item of order) {
    const label = `record ${item.index}`;
    tryRecord(batch, item.index, label, () => {
      const trace = item instanceof StreamedTrace ? item.buffered(label) : readRecord(bufferedTraceSchema, item.trace, label);
      return envoyExchange(trace, label, keys.at(item.index), nowUs);
    });
  }
  if (fault !== undefined) batch.faults.push(jsonFault(fault, values.length));
  batch.faults.sort((x, y) => x.record - y.record);
  return batch;
}

class StreamedTrace {
  private requestHeaders: Message['headers'] | undefined = undefined;
  private responseHeaders: Message['headers'] | undefined = undefined;
  private readonly requestChunks: Body[] = [];
  private readonly responseChunks: Body[] = [];

  constructor(readonly index: number) {}

  add(s: z.output<typeof segmentSchema>): void {
    if (s.request_headers !== undefined) this.requestHeaders = s.request_headers.headers;
    if (s.response_headers !== undefined) this.responseHeaders = s.response_headers.headers;
    if (s.request_body_chunk !== undefined) this.requestChunks.push(s.request_body_chunk);
    if (s.response_body_chunk !== undefined) this.responseChunks.push(s.response_body_chunk);
  }

  buffered(label: string): BufferedTrace {
    if (this.requestHeaders === undefined) throw recordError(label, 'is a streamed trace whose request_headers segment is not in this payload');
    const trace: BufferedTrace = { request: { headers: this.requestHeaders, body: joinChunks(this.requestChunks, label) } };
    if (this.responseHeaders !== undefined) trace.response = { headers: this.responseHeaders, body: joinChunks(this.responseChunks, label) };
    return trace;
  }
}

function joinChunks(chunks: Body[], label: string): Body {
  const bytes = chunks.map((c, k) => bodyBytes(c, label, `body chunk ${k}`) ?? Buffer.alloc(0));
  return { as_bytes: Buffer.concat(bytes).toString('base64'), truncated: chunks.some((c) => c.truncated === true) };
}

function envoyExchange(trace: BufferedTrace, label: string, key: string, nowUs: number): ExchangeParts {
  const flags: CaptureFlag[] = [];
  const req = splitPseudoHeaders(pairs(trace.request.headers, label, 'request.headers'));
  const method = req.pseudo.get('method');
  const path = req.pseudo.get('path');
  if (method === undefined) throw recordError(label, 'request.headers has no :method');
  if (path === undefined) throw recordError(label, 'request.headers has no :path');
  const reqStart = messageTime(trace.request, label, 'request', nowUs);
  const request: RequestParts = { method, target: path, version: '1.1', headers: req.headers, startUs: reqStart, endUs: reqStart, ...body(trace.request, req.headers, label, 'request', flags) };

  let response: ResponseParts | undefined;
  if (trace.response !== undefined) {
    const res = splitPseudoHeaders(pairs(trace.response.headers, label, 'response.headers'));
    const status = Number(res.pseudo.get('status'));
    if (!Number.isInteger(status)) throw recordError(label, 'response.headers has no numeric :status');
    const resStart = Math.max(reqStart, messageTime(trace.response, label, 'response', reqStart));
    response = { status, version: '1.1', headers: res.headers, startUs: resStart, endUs: resStart, ...body(trace.response, res.headers, label, 'response', flags) };
  }
  const conn = trace.downstream_connection;
  return {
    key,
    client: address(conn?.remote_address, label, 'downstream_connection.remote_address'),
    server: address(conn?.local_address, label, 'downstream_connection.local_address'),
    request,
    response,
    flags,
  };
}

function pairs(headers: Message['headers'], label: string, field: string): HeaderPair[] {
  return headers.map((h, k): HeaderPair => {
    if (h.value !== undefined) return [h.key, h.value];
    // Newer Envoys may send the value as bytes.
    if (h.raw_value !== undefined) return [h.key, base64Bytes(h.raw_value, label, `${field}[${k}].raw_value`).toString('latin1')];
    return [h.key, ''];
  });
}

function messageTime(msg: Message, label: string, field: string, fallbackUs: number): number {
  if (msg.headers_received_time === undefined) return fallbackUs;
  const us = rfc3339Us(msg.headers_received_time);
  if (us === undefined) throw recordError(label, `${field}.headers_received_time is not an RFC 3339 time`);
  return us;
}

function bodyBytes(b: Body | undefined, label: string, field: string): Buffer | undefined {
  if (b === undefined) return undefined;
  if (b.as_bytes !== undefined) return base64Bytes(b.as_bytes, label, `${field}.as_bytes`);
  if (b.as_string !== undefined) return Buffer.from(b.as_string, 'utf8');
  return undefined;
}

/** The body, with the size Content-Length gives when the tap's buffer limit cut it. */
function body(msg: Message, headers: readonly HeaderPair[], label: string, field: string, flags: CaptureFlag[]): { body?: Buffer; bodyBytes?: number } {
  const bytes = bodyBytes(msg.body, label, `${field}.body`);
  if (bytes === undefined) return {};
  if (msg.body?.truncated !== true) return { body: bytes };
  if (!flags.includes('body_sample_capped')) flags.push('body_sample_capped');
  const declared = Number(headerValue(headers, 'content-length'));
  return Number.isInteger(declared) && declared > bytes.length ? { body: bytes, bodyBytes: declared } : { body: bytes };
}

function address(a: z.output<typeof addressSchema> | undefined, label: string, field: string): Endpoint {
  const s = a?.socket_address;
  return s === undefined ? UNKNOWN_ENDPOINT : endpoint(s.address, s.port_value ?? 0, label, `${field}.socket_address`);
}
