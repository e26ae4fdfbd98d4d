// Kong's http-log plugin payload (the basic log serializer, Kong 1.x-3.x): one JSON object per
// request, or an array of them when the plugin batches. Request and response heads are there;
// bodies are not unless custom_fields_by_lua adds request.body_base64 (docs/mirror.md), so an
// absent body keeps the size its Content-Length announced and no sample. Kong logs Authorization
// as "REDACTED", so its actors come from API-key headers, cookies or the client address.
import { z } from 'zod';
import type { ExchangeParts } from '../../http/messageExchange';
import { splitUrl } from './absoluteUrl';
import { headerObjectSchema, pairsFromObject } from './headerPairs';
import type { HeaderPair } from './headerPairs';
import { jsonFault, jsonValues } from './jsonValues';
import { PayloadKeys } from './payloadKeys';
import { eachRecord, readRecord, recordError } from './recordFault';
import type { ParsedBatch } from './recordFault';
import { base64Bytes, endpoint, epochMsUs, UNKNOWN_ENDPOINT } from './recordValues';

const size = z.union([z.number(), z.string()]).optional();
const headers = headerObjectSchema.optional();

const kongRecordSchema = z.object({
  started_at: z.number(),
  client_ip: z.string(),
  latencies: z.object({ request: z.number().optional() }).optional(),
  request: z.object({
    id: z.string().optional(),
    method: z.string(),
    uri: z.string().optional(),
    url: z.string().optional(),
    headers,
    size,
    body: z.string().optional(),
    body_base64: z.string().optional(),
  }),
  response: z.object({ status: z.number().int(), headers, size }).optional(),
  tries: z.array(z.object({ ip: z.string().optional(), port: z.number().optional() })).optional(),
});

/** Exchanges of a Kong http-log payload; each bad record becomes a fault. */
export function parseKongPayload(payload: Buffer): ParsedBatch {
  const { values, fault } = jsonValues(payload);
  const keys = new PayloadKeys('kong', payload);
  const batch = eachRecord(values, (value, label, index) => kongExchange(value, label, () => keys.at(index)));
  if (fault !== undefined) batch.faults.push(jsonFault(fault, values.length));
  return batch;
}

/** One Kong log object as exchange parts. */
export function kongExchange(value: unknown, label: string, fallbackKey: () => string): ExchangeParts {
  const r = readRecord(kongRecordSchema, value, label);
  const startUs = epochMsUs(r.started_at);
  if (startUs === undefined) throw recordError(label, 'started_at is not milliseconds since 1970');
  const endUs = startUs + Math.max(0, Math.round((r.latencies?.request ?? 0) * 1000));
  const target = kongTarget(r.request.uri, r.request.url);
  if (target === undefined) throw recordError(label, 'request has neither uri nor an absolute url');

  // The upstream Kong last tried is the server that answered; without one Kong answered itself.
  const tried = r.tries?.[r.tries.length - 1];
  const server = tried?.ip !== undefined ? endpoint(tried.ip, tried.port, label, 'tries[].ip') : { ...UNKNOWN_ENDPOINT, port: r.request.url === undefined ? 0 : (splitUrl(r.request.url)?.port ?? 0) };

  let body: Buffer | undefined;
  if (r.request.body_base64 !== undefined) body = base64Bytes(r.request.body_base64, label, 'request.body_base64');
  else if (r.request.body !== undefined) body = Buffer.from(r.request.body, 'utf8');

  const id = r.request.id;
  return {
    key: id !== undefined && id !== '' ? `kong:${id}` : fallbackKey(),
    client: endpoint(r.client_ip, 0, label, 'client_ip'),
    server,
    request: {
      method: r.request.method,
      target,
      version: '1.1',
      headers: kongHeaders(r.request.headers, label, 'request.headers'),
      body,
      wireBytes: byteCount(r.request.size),
      startUs,
      endUs: startUs,
    },
    response:
      r.response === undefined
        ? undefined
        : {
            status: r.response.status,
            version: '1.1',
            headers: kongHeaders(r.response.headers, label, 'response.headers'),
            wireBytes: byteCount(r.response.size),
            startUs,
            endUs,
          },
    flags: [],
  };
}

function kongHeaders(headers: Record<string, unknown> | undefined, label: string, field: string): HeaderPair[] {
  if (headers === undefined) return [];
  const result = pairsFromObject(headers);
  if ('bad' in result) throw recordError(label, `${field}.${result.bad} is neither a string nor a list of strings`);
  return result.pairs;
}

/** request.uri is the request target as sent (path and query); older records have only url. */
function kongTarget(uri: string | undefined, url: string | undefined): string | undefined {
  if (uri !== undefined && uri !== '') return uri;
  return url === undefined ? undefined : splitUrl(url)?.target;
}

/** Kong logs sizes as numbers (older versions as numeric strings). */
function byteCount(value: number | string | undefined): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}
