// Sample records for the contract tests: one of each, valid, with every optional field filled so
// the mapping tests see every path a real record can carry.
import type { Event } from './event';
import type { Finding } from './finding';
import type { HttpExchange } from './httpExchange';
import type { SessionSummary } from './sessionSummary';

export function sampleExchange(): HttpExchange {
  return {
    '@timestamp': '2024-05-01T12:00:00.123Z',
    event: {
      id: 'ex-0001',
      kind: 'event',
      category: ['network'],
      type: ['connection', 'protocol'],
      dataset: 'sidetap.exchange',
      duration: 1_500_000,
    },
    source: { ip: '10.0.0.5', port: 51514, bytes: 412 },
    destination: { ip: '10.0.0.9', port: 443, bytes: 1310 },
    network: { transport: 'tcp', type: 'ipv4', protocol: 'http', community_id: '1:LQU9qZlK+B5F3KDmev6m5PMibrg=' },
    http: {
      version: '1.1',
      request: {
        method: 'GET',
        headers: { host: 'api.example.com', 'user-agent': 'curl/8.5.0' },
        body: { bytes: 0 },
        mime_type: 'application/json',
      },
      response: {
        status_code: 200,
        reason: 'OK',
        headers: { 'content-type': 'application/json' },
        body: { bytes: 27, content: '{"id":42,"balance":1200.5}' },
        mime_type: 'application/json',
      },
    },
    url: { original: '/api/v1/accounts/42?full=1', path: '/api/v1/accounts/42', query: 'full=1', domain: 'api.example.com' },
    user_agent: { original: 'curl/8.5.0' },
    sidetap: {
      capture: { source: 'pcap', flags: ['pipelined'], vlan: [100], vni: 7, file: 'demo.pcap' },
      actor_key: 'jwt:alice',
    },
  };
}

export function sampleEvent(): Event {
  const exchange = sampleExchange();
  return {
    ...exchange,
    event: { ...exchange.event, dataset: 'sidetap.event' },
    source: {
      ...exchange.source,
      geo: { country_iso_code: 'NL', city_name: 'Amsterdam', location: { lat: 52.37, lon: 4.89 } },
    },
    user: { id: 'alice', name: 'Alice' },
    sidetap: {
      ...exchange.sidetap,
      actor: { kind: 'jwt', id: 'alice' },
      session: { id: 'sess-1', seq: 3, timeline: 'user:alice' },
      endpoint: '/api/v1/accounts/{id}',
      device: { id: 'dev-9f2c' },
    },
  };
}

export function sampleFinding(): Finding {
  return {
    '@timestamp': '2024-05-01T12:00:04.500Z',
    event: {
      kind: 'alert',
      id: '0123456789abcdef0123456789abcdef',
      severity: 3,
      risk_score: 73.5,
      dataset: 'sidetap.finding',
    },
    rule: { id: 'enumeration.sequential_ids', name: 'Sequential object id walk', category: 'enumeration' },
    threat: { technique: { id: ['T1087'] } },
    user: { id: 'alice' },
    source: { ip: '10.0.0.5', geo: { country_iso_code: 'NL', country_name: 'Netherlands', region_name: 'North Holland', city_name: 'Amsterdam', location: { lat: 52.37, lon: 4.89 } } },
    message: 'alice read 40 different accounts in 4 seconds through /api/v1/accounts/{id}.',
    sidetap: {
      detector: 'bola_walk',
      owasp_api: 'API1:2023',
      actor_key: 'jwt:alice',
      endpoint: '/api/v1/accounts/{id}',
      evidence: {
        exchange_ids: ['ex-0001', 'ex-0002'],
        excerpts: ['GET /api/v1/accounts/42', 'GET /api/v1/accounts/43'],
        window: { start: '2024-05-01T12:00:00.123Z', end: '2024-05-01T12:00:04.500Z' },
        observed: 40,
        expected: 'at most 5 distinct ids a minute',
      },
      capture_quality: { complete: false, flags: ['gap', 'pipelined'] },
    },
  };
}

export function sampleSession(): SessionSummary {
  return {
    '@timestamp': '2024-05-01T12:00:00.123Z',
    event: {
      id: 'sess-7a1',
      kind: 'event',
      dataset: 'sidetap.session',
      start: '2024-05-01T12:00:00.123Z',
      end: '2024-05-01T12:09:30.000Z',
      duration: 569_877_000_000,
    },
    user: { id: 'alice', name: 'alice' },
    sidetap: {
      actor_key: 'jwt:alice',
      actor: { kind: 'jwt', id: 'alice' },
      session: {
        id: 'sess-7a1',
        timeline: 'user:alice',
        requests: 42,
        endpoints: 3,
        endpoint_list: ['/api/v1/accounts/{id}', '/login', '/api/v1/me'],
        client_ips: ['10.0.0.5'],
        countries: ['NL'],
        devices: ['dev-9f2c'],
        actors: ['jwt:alice'],
        bytes_sent: 8_200,
        bytes_received: 120_400,
        errors: 2,
        error_ratio: 2 / 42,
        closed_by: 'inactivity',
      },
    },
  };
}
