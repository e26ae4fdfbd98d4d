// Builders of redacted exchanges for the sessionizer's tests: what capture hands it.
import type { HttpExchange } from '@sidetap/core';

export interface ExchangeSpec {
  id: string;
  at: number;
  ip?: string;
  method?: string;
  path?: string;
  actor?: string;
  credential?: string;
  jwt?: NonNullable<NonNullable<HttpExchange['sidetap']['credential']>['jwt']>;
  requestBody?: string;
  requestMime?: string;
  status?: number;
  responseBody?: string;
  setCookie?: string;
  userAgent?: string;
}

export const hashOf = (name: string): string => `h:${name.padEnd(22, 'x').slice(0, 22)}`;

export function exchange(s: ExchangeSpec): HttpExchange {
  const path = s.path ?? '/api/items/7';
  const ip = s.ip ?? '203.0.113.9';
  const headers: Record<string, string> = { host: 'api.example.com', accept: '*/*' };
  if (s.userAgent !== undefined) headers['user-agent'] = s.userAgent;
  const responseHeaders: Record<string, string> = { 'content-type': 'application/json' };
  if (s.setCookie !== undefined) responseHeaders['set-cookie'] = s.setCookie;
  return {
    '@timestamp': new Date(s.at).toISOString(),
    event: { id: s.id, kind: 'event', category: ['network'], type: ['connection', 'protocol'], dataset: 'sidetap.exchange' },
    source: { ip, port: 40000, bytes: 100 },
    destination: { ip: '10.0.0.9', port: 80, bytes: 300 },
    network: { transport: 'tcp', type: 'ipv4', protocol: 'http' },
    http: {
      version: '1.1',
      request: {
        method: s.method ?? 'GET',
        headers,
        body: { bytes: s.requestBody?.length ?? 0, ...(s.requestBody !== undefined ? { content: s.requestBody } : {}) },
        ...(s.requestMime !== undefined ? { mime_type: s.requestMime } : {}),
      },
      response: {
        status_code: s.status ?? 200,
        headers: responseHeaders,
        body: { bytes: s.responseBody?.length ?? 0, ...(s.responseBody !== undefined ? { content: s.responseBody } : {}) },
      },
    },
    url: { original: path, path, domain: 'api.example.com' },
    sidetap: {
      capture: { source: 'pcap', flags: [] },
      actor_key: s.actor ?? (s.credential !== undefined ? `api_key:${s.credential}` : `ip:${ip}`),
      ...(s.credential !== undefined ? { credential: { hash: s.credential, ...(s.jwt !== undefined ? { jwt: s.jwt } : {}) } } : {}),
    },
  };
}
