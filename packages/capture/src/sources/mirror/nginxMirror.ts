// A request NGINX's `mirror` sent us (deploy/gateways/nginx/sidetap-mirror.conf): the client's
// own request, forwarded to /nginx<original URI> with its headers and body, plus what the snippet
// adds: X-Real-IP ($remote_addr), X-Forwarded-For with $remote_addr appended, and X-Sidetap-*
// fields for the client port, the server address, the protocol, nginx's request id and time.
// Those are taken out again so the exchange shows the request as the client sent it. NGINX never
// mirrors the response, so the exchange is request-only (unanswered_request).
import type { ExchangeParts } from '../../http/messageExchange';
import type { Endpoint } from '../../tcp/streamConsumer';
import type { HeaderPair } from './headerPairs';
import { recordError } from './recordFault';
import { endpoint, httpVersion } from './recordValues';

/** Where the listener takes NGINX-mirrored requests: /nginx/api/v1/x is the client's /api/v1/x. */
export const NGINX_MIRROR_PREFIX = '/nginx';

export interface MirroredRequest {
  method: string;
  /** The request target with NGINX_MIRROR_PREFIX removed. */
  target: string;
  /** Header fields as received, [name, value, name, value, ...] (Node's rawHeaders). */
  rawHeaders: readonly string[];
  body: Buffer;
  /** The NGINX end of the connection the mirror came on. */
  peer: Endpoint;
  /** Arrival time, for a mirror without X-Sidetap-Time. */
  nowUs: number;
}

const LABEL = 'mirrored request';

export function nginxExchange(m: MirroredRequest): ExchangeParts {
  const headers: HeaderPair[] = [];
  const ours = new Map<string, string>();
  let forwardedFor: number | undefined;
  for (let k = 0; k + 1 < m.rawHeaders.length; k += 2) {
    const name = m.rawHeaders[k] as string;
    const value = m.rawHeaders[k + 1] as string;
    const lower = name.toLowerCase();
    if (lower.startsWith('x-sidetap-') || lower === 'x-real-ip') {
      ours.set(lower, value);
      continue;
    }
    if (lower === 'x-forwarded-for' && forwardedFor === undefined) forwardedFor = headers.length;
    headers.push([name, value]);
  }

  // $proxy_add_x_forwarded_for appended $remote_addr: the client's own header is what precedes it.
  let lastHop: string | undefined;
  if (forwardedFor !== undefined) {
    const [name, value] = headers[forwardedFor] as HeaderPair;
    const comma = value.lastIndexOf(',');
    lastHop = value.slice(comma + 1).trim();
    if (comma < 0) headers.splice(forwardedFor, 1);
    else headers[forwardedFor] = [name, value.slice(0, comma).trimEnd()];
  }

  const clientIp = ours.get('x-real-ip') ?? lastHop;
  const client = clientIp === undefined ? m.peer : endpoint(clientIp, portOf(ours.get('x-sidetap-client-port'), 'X-Sidetap-Client-Port'), LABEL, 'X-Real-IP');
  const serverIp = ours.get('x-sidetap-server-addr');
  const server = serverIp === undefined ? { ip: '0.0.0.0', port: 0 } : endpoint(serverIp, portOf(ours.get('x-sidetap-server-port'), 'X-Sidetap-Server-Port'), LABEL, 'X-Sidetap-Server-Addr');
  const startUs = msecUs(ours.get('x-sidetap-time')) ?? m.nowUs;
  const requestId = ours.get('x-sidetap-request-id');
  return {
    key: requestId !== undefined && requestId !== '' ? `nginx:${requestId}` : `nginx:${startUs}:${client.ip}:${client.port}:${m.method} ${m.target}`,
    client,
    server,
    request: { method: m.method, target: m.target, version: httpVersion(ours.get('x-sidetap-protocol')), headers, body: m.body, startUs, endUs: startUs },
    response: undefined,
    flags: [],
  };
}

function portOf(value: string | undefined, field: string): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value.trim()) || port > 65535) throw recordError(LABEL, `${field} is not a port number`);
  return port;
}

/** NGINX's $msec ("1700000000.123", seconds with milliseconds) in microseconds. */
function msecUs(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,12}(\.\d{1,6})?$/.test(value.trim())) return undefined;
  return Math.round(Number(value) * 1e6);
}
