import { parseEnvoyPayload } from './envoyTap';
import { exchangesOf, fixture, redacted } from './testMirror';

const NOW_US = Date.UTC(2024, 4, 14, 12, 0, 0) * 1000;

describe('Envoy tap traces', () => {
  it('maps a buffered trace field by field: pseudo-headers, bodies, connection and times', () => {
    const batch = parseEnvoyPayload(fixture('envoy-tap-buffered.json'), NOW_US);
    expect(batch.faults).toEqual([]);
    const [ex] = exchangesOf('envoy', batch);
    expect(ex?.['@timestamp']).toBe('2024-05-14T09:30:01.250Z');
    expect(ex?.event.duration).toBe(12_877_000);
    expect(ex?.source).toMatchObject({ ip: '10.1.7.33', port: 41822 });
    expect(ex?.destination).toMatchObject({ ip: '10.1.0.8', port: 10000 });
    expect(ex?.http.request.method).toBe('POST');
    expect(ex?.url).toEqual({ original: '/v2/items?dry_run=false', path: '/v2/items', query: 'dry_run=false', domain: 'inventory.mesh.test' });
    // :authority becomes Host, the way an HTTP/1.1 client sends it; no pseudo-header is left.
    expect(Object.keys(ex?.http.request.headers ?? {})[0]).toBe('host');
    expect(Object.keys(ex?.http.request.headers ?? {}).some((n) => n.startsWith(':'))).toBe(false);
    expect(ex?.http.request.headers['x-api-key']).toBe(redacted('x-api-key', 'inv-key-0c1d2e'));
    expect(ex?.sidetap.actor_key).toMatch(/^api_key:/);
    expect(ex?.http.request.body).toEqual({ bytes: 25, content: '{"name":"Widget","qty":3}' });
    expect(ex?.http.response?.status_code).toBe(201);
    expect(ex?.http.response?.body.content).toBe('{"id":4211,"name":"Widget","qty":3,"owner":"u-77"}');
    expect(ex?.sidetap.capture).toEqual({ source: 'mirror:envoy', flags: [] });
  });

  it('reads the admin stream of pretty-printed traces, with as_string bodies and truncation', () => {
    const batch = parseEnvoyPayload(fixture('envoy-tap-admin-stream.txt'), NOW_US);
    expect(batch.faults).toEqual([]);
    const [, get] = exchangesOf('envoy', batch);
    expect(get?.http.request.method).toBe('GET');
    expect(get?.http.request.headers['authorization']).toBe(redacted('authorization', 'Bearer opaque-token-93ab'));
    expect(get?.sidetap.credential?.hash).toBeDefined();
    // A trace without times and connection: arrival time, unknown addresses.
    expect(get?.['@timestamp']).toBe('2024-05-14T12:00:00.000Z');
    expect(get?.source).toMatchObject({ ip: '0.0.0.0', port: 0 });
    // Cut by the tap's buffer limit: the true size from Content-Length, the sample flagged.
    expect(get?.http.response?.body).toEqual({ bytes: 52, content: '{"id":4211,"name":"Wid' });
    expect(get?.sidetap.capture.flags).toEqual(['body_sample_capped']);
  });

  it('assembles streamed segments of one trace', () => {
    const batch = parseEnvoyPayload(fixture('envoy-tap-streamed.ndjson'), NOW_US);
    expect(batch.faults).toEqual([]);
    const [put] = exchangesOf('envoy', batch);
    expect(put?.http.request.method).toBe('PUT');
    expect(put?.http.request.body).toEqual({ bytes: 11, content: 'hello world' });
    expect(put?.http.response?.status_code).toBe(204);
  });

  it('names bad traces and keeps the good ones', () => {
    const good = JSON.parse(fixture('envoy-tap-buffered.json').toString());
    const noMethod = structuredClone(good);
    noMethod.http_buffered_trace.request.headers = noMethod.http_buffered_trace.request.headers.filter((h: { key: string }) => h.key !== ':method');
    const badBody = structuredClone(good);
    badBody.http_buffered_trace.request.body.as_bytes = '%%%not base64%%%';
    const badAddress = structuredClone(good);
    badAddress.http_buffered_trace.downstream_connection.remote_address.socket_address.address = 'pod-7';
    const lonelySegment = { http_streamed_trace_segment: { trace_id: '42', response_headers: { headers: [{ key: ':status', value: '200' }] } } };
    const batch = parseEnvoyPayload(Buffer.from([good, noMethod, badBody, badAddress, lonelySegment, 17].map((v) => JSON.stringify(v)).join('\n')), NOW_US);
    expect(batch.parts).toHaveLength(1);
    expect(batch.faults.map((f) => f.message)).toEqual([
      'record 1: request.headers has no :method.',
      'record 2: request.body.as_bytes is not base64.',
      'record 3: downstream_connection.remote_address.socket_address is not an IP address.',
      "record 4: is a streamed trace whose request_headers segment is not in this payload.",
      'record 5: expected object, received number.',
    ]);
  });
});
