import { encode } from '@msgpack/msgpack';
import { nativeEncoding, parseNativePayload } from './nativeBatch';
import type { NativeRecord } from './nativeRecord';
import { exchangesOf, redacted } from './testMirror';

const login: NativeRecord = {
  id: 'conn-17/3',
  started_at: '2024-05-14T11:00:00.250Z',
  duration_ms: 8.5,
  client: { ip: '198.51.100.23', port: 53312 },
  server: { ip: '10.0.4.2', port: 443 },
  request: {
    method: 'POST',
    target: '/v1/sessions',
    version: '1.1',
    headers: [
      ['Host', 'id.example.test'],
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['X-Api-Key', 'ak_9f8e7d'],
    ],
    body: Buffer.from('user=erin&password=swordfish').toString('base64'),
  },
  response: {
    status: 302,
    reason: 'Found',
    headers: { Location: '/home', 'Set-Cookie': ['sid=abc; HttpOnly', 'csrf=def'] },
  },
};
const requestOnly: NativeRecord = {
  started_at: 1715684400000,
  client: { ip: '2001:db8::7' },
  request: { method: 'GET', target: '/health' },
};

describe('native batches', () => {
  it('maps a record field by field', () => {
    const batch = parseNativePayload(Buffer.from(`${JSON.stringify(login)}\n`), 'ndjson');
    expect(batch.faults).toEqual([]);
    const [ex] = exchangesOf('native', batch);
    expect(ex?.['@timestamp']).toBe('2024-05-14T11:00:00.250Z');
    expect(ex?.event.duration).toBe(8_500_000);
    expect(ex?.source).toMatchObject({ ip: '198.51.100.23', port: 53312 });
    expect(ex?.destination).toMatchObject({ ip: '10.0.4.2', port: 443 });
    expect(ex?.url).toEqual({ original: '/v1/sessions', path: '/v1/sessions', domain: 'id.example.test' });
    expect(ex?.http.request.headers['x-api-key']).toBe(redacted('x-api-key', 'ak_9f8e7d'));
    expect(ex?.sidetap.actor_key).toMatch(/^api_key:/);
    expect(ex?.http.request.body.bytes).toBe(28);
    expect(ex?.http.request.body.content).toMatch(/^user=erin&password=(?!swordfish)/);
    expect(ex?.http.response?.status_code).toBe(302);
    expect(ex?.http.response?.reason).toBe('Found');
    expect(ex?.http.response?.headers['location']).toBe('/home');
    expect(ex?.http.response?.headers['set-cookie']).not.toContain('abc');
    expect(ex?.sidetap.capture).toEqual({ source: 'mirror:native', flags: [] });
  });

  it('takes MessagePack with raw bin bodies, the same exchanges as NDJSON', () => {
    const bin = { ...login, request: { ...login.request, body: Buffer.from('user=erin&password=swordfish') } };
    const fromPack = exchangesOf('native', parseNativePayload(Buffer.from(encode([bin, requestOnly])), 'msgpack'));
    const fromJson = exchangesOf('native', parseNativePayload(Buffer.from(`${JSON.stringify(login)}\n${JSON.stringify(requestOnly)}\n`), 'ndjson'));
    // Ids differ only where they come from the payload's digest: the record with its own id agrees.
    expect(fromPack[0]).toEqual(fromJson[0]);
    expect({ ...fromPack[1], event: undefined }).toEqual({ ...fromJson[1], event: undefined });
    expect(fromPack[1]?.sidetap.capture.flags).toEqual(['unanswered_request']);
    expect(fromPack[1]?.network.type).toBe('ipv6');
  });

  it('names each bad line or record by index and line, and keeps the good ones', () => {
    const lines = [
      JSON.stringify(login),
      '{"started_at": 1, "client": {"ip": "1.2.3.4"}, "request": {"method": "GET"}}',
      '{not json',
      JSON.stringify({ ...requestOnly, client: { ip: '1.2.3.4', port: 70000 } }),
      JSON.stringify({ ...requestOnly, request: { ...requestOnly.request, body: 'a b c' } }),
      JSON.stringify({ ...requestOnly, started_at: 'soon' }),
      '',
      JSON.stringify(requestOnly),
    ];
    const batch = parseNativePayload(Buffer.from(lines.join('\n')), 'ndjson');
    expect(batch.parts).toHaveLength(2);
    expect(batch.faults).toEqual([
      { record: 1, message: 'record 1 (line 2): request.target expected string, received undefined.' },
      { record: 2, message: expect.stringMatching(/^record 2 \(line 3, byte offset \d+\): not JSON \(.+\)\.$/) },
      { record: 3, message: 'record 3 (line 4): client.ip has a port outside 0-65535.' },
      { record: 4, message: 'record 4 (line 5): request.body is not base64.' },
      { record: 5, message: 'record 5 (line 6): started_at is not a time (RFC 3339 text or milliseconds since 1970).' },
    ]);
  });

  it('keeps the records before MessagePack that stops decoding', () => {
    const good = Buffer.from(encode(requestOnly));
    const batch = parseNativePayload(Buffer.concat([good, good, Buffer.from([0xc1])]), 'msgpack');
    expect(batch.parts).toHaveLength(2);
    expect(batch.faults).toEqual([{ record: 2, message: expect.stringMatching(/^record 2: not MessagePack \(.+\); the records before it were kept\.$/) }]);
  });

  it('takes a body that is one JSON array of records, pretty-printed', () => {
    const batch = parseNativePayload(Buffer.from(JSON.stringify([login, requestOnly, { started_at: 1 }], null, 2)), 'ndjson');
    expect(batch.parts).toHaveLength(2);
    expect(batch.faults).toEqual([{ record: 2, message: 'record 2: client expected object, received undefined.' }]);
  });

  it('picks the encoding from Content-Type', () => {
    expect(nativeEncoding('application/msgpack')).toBe('msgpack');
    expect(nativeEncoding('application/vnd.msgpack; charset=binary')).toBe('msgpack');
    expect(nativeEncoding('application/x-ndjson')).toBe('ndjson');
    expect(nativeEncoding(undefined)).toBe('ndjson');
  });
});
