import { gzipSync } from 'node:zlib';
import { actorKey } from '@sidetap/core';
import { flagsOf, harness, redactor, T0 } from './__tests__/connectionHarness';

const GET = 'GET /api/items?id=7 HTTP/1.1\r\nHost: shop.test:8080\r\nUser-Agent: curl/8\r\n\r\n';
const OK = 'HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 11\r\n\r\n{"ok":true}';

describe('createHttpConsumer: one exchange', () => {
  it('builds the ECS exchange from a request and its response', () => {
    const h = harness();
    h.send(0, GET, T0 + 1000);
    h.send(1, OK, T0 + 3500);
    expect(h.exchanges).toHaveLength(1);
    const x = h.exchanges[0];
    expect(x).toMatchObject({
      '@timestamp': '2023-11-14T22:13:20.001Z',
      event: { kind: 'event', dataset: 'sidetap.exchange', duration: 2_500_000 },
      source: { ip: '10.0.0.1', port: 51000, bytes: GET.length },
      destination: { ip: '10.0.0.2', port: 8080, bytes: OK.length },
      network: { transport: 'tcp', type: 'ipv4', protocol: 'http' },
      http: {
        version: '1.1',
        request: { method: 'GET', headers: { host: 'shop.test:8080', 'user-agent': 'curl/8' }, body: { bytes: 0 } },
        response: { status_code: 200, reason: 'OK', mime_type: 'application/json', body: { bytes: 11, content: '{"ok":true}' } },
      },
      url: { original: '/api/items?id=7', path: '/api/items', query: 'id=7', domain: 'shop.test' },
      user_agent: { original: 'curl/8' },
      sidetap: { capture: { source: 'pcap', flags: [], file: 'test.pcap' }, actor_key: 'ip:10.0.0.1' },
    });
    expect(x?.event.id).toMatch(/^[0-9a-f]{24}$/);
    expect(Object.keys(x?.http.response?.headers ?? {})).toEqual(['content-type', 'content-length']);
    expect(x?.sidetap.capture).not.toHaveProperty('vlan');
    expect(h.counters.get('capture_exchanges_emitted_total')).toBe(1);
  });

  it('gives the same ids on a replay and different ids per exchange', () => {
    const run = () => {
      const h = harness();
      h.send(0, GET + GET);
      h.send(1, OK + OK);
      return h.exchanges.map((x) => x.event.id);
    };
    const ids = run();
    expect(ids).toEqual(run());
    expect(new Set(ids).size).toBe(2);
  });

  it('records VLAN, VNI and IPv6', () => {
    const h = harness({ ipVersion: 6, vlan: [10, 20], vni: 5001 });
    h.send(0, 'GET / HTTP/1.1\r\nHost: [2001:db8::2]:8080\r\n\r\n');
    h.send(1, OK);
    const x = h.exchanges[0];
    expect(x?.network.type).toBe('ipv6');
    expect(x?.url.domain).toBe('[2001:db8::2]');
    expect(x?.sidetap.capture).toMatchObject({ vlan: [10, 20], vni: 5001 });
  });

  it('parses the same exchange whatever the segmentation, down to one byte at a time', () => {
    const reqText = 'POST /login HTTP/1.1\r\nHost: a.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 27\r\n\r\nuser=bob&password=hunter2xx';
    const resText = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nT: 1\r\n\r\n';
    const whole = harness();
    whole.send(0, reqText, T0);
    whole.send(1, resText, T0);
    const expected = whole.exchanges[0];
    expect(expected?.http.response?.body).toEqual({ bytes: 9, content: 'Wikipedia' });
    expect(flagsOf(expected)).toEqual(['http_chunk_extension', 'http_trailers']);
    for (const step of [1, 2, 3, 7, 13]) {
      const h = harness();
      for (let i = 0; i < reqText.length; i += step) h.send(0, reqText.slice(i, i + step), T0);
      for (let i = 0; i < resText.length; i += step) h.send(1, resText.slice(i, i + step), T0);
      expect(h.exchanges).toEqual([expected]);
    }
  });

  it('keeps a connection alive over several exchanges, with many in one segment', () => {
    const h = harness();
    h.send(0, GET);
    h.send(1, OK);
    h.send(0, 'GET /b HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 204 No Content\r\n\r\n');
    h.send(0, 'GET /c HTTP/1.1\r\n\r\nGET /d HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx');
    h.close();
    expect(h.exchanges.map((x) => [x.url.path, x.http.response?.status_code])).toEqual([
      ['/api/items', 200],
      ['/b', 204],
      ['/c', 404],
      ['/d', 200],
    ]);
    expect(flagsOf(h.exchanges[2])).toEqual([]);
    expect(flagsOf(h.exchanges[3])).toEqual(['pipelined']);
  });
});

describe('createHttpConsumer: pipelining and pairing', () => {
  it('queues pipelined requests and pairs responses in order', () => {
    const h = harness();
    h.send(0, 'GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na');
    h.send(1, 'HTTP/1.1 201 OK\r\nContent-Length: 1\r\n\r\nb');
    h.send(1, 'HTTP/1.1 202 OK\r\nContent-Length: 1\r\n\r\nc');
    expect(h.exchanges.map((x) => [x.url.path, x.http.response?.status_code, x.http.response?.body.content, flagsOf(x)])).toEqual([
      ['/1', 200, 'a', []],
      ['/2', 201, 'b', ['pipelined']],
      ['/3', 202, 'c', ['pipelined']],
    ]);
  });

  it('emits the oldest request as unanswered beyond httpMaxPendingRequests, counted', () => {
    const h = harness({ config: { httpMaxPendingRequests: 2 } });
    h.send(0, 'GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n');
    expect(h.exchanges.map((x) => [x.url.path, x.http.response, flagsOf(x)])).toEqual([['/1', undefined, ['unanswered_request']]]);
    expect(h.counters.get('capture_http_requests_evicted_total')).toBe(1);
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(h.exchanges[1]?.url.path).toBe('/2');
  });

  it('turns a response with no request into an unmatched_response exchange', () => {
    const h = harness();
    h.send(0, GET);
    h.send(1, OK + 'HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n');
    // Held while its request might still come (written late by the capture), then out alone.
    expect(h.exchanges).toHaveLength(1);
    h.close();
    const x = h.exchanges[1];
    expect(x?.http.request.method).toBe('');
    expect(x?.url).toEqual({ original: '', path: '' });
    expect(x?.http.response?.status_code).toBe(500);
    expect(flagsOf(x)).toEqual(['unmatched_response']);
    expect(x?.source.bytes).toBeUndefined();
    expect(x?.event.duration).toBeUndefined();
  });

  it('emits requests still waiting at the close as unanswered', () => {
    const h = harness();
    h.send(0, 'GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n');
    h.close('fin');
    expect(h.exchanges.map((x) => [x.url.path, flagsOf(x)])).toEqual([
      ['/1', ['unanswered_request']],
      ['/2', ['unanswered_request', 'pipelined']],
    ]);
  });

  it('counts capture_http_flags_total per flag', () => {
    const h = harness();
    h.send(0, 'GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n');
    h.close('capture_ended');
    expect(h.counters.get('capture_http_flags_total{flag="unanswered_request"}')).toBe(2);
    expect(h.counters.get('capture_http_flags_total{flag="capture_ended"}')).toBe(2);
    expect(h.counters.get('capture_http_flags_total{flag="pipelined"}')).toBe(1);
  });
});

describe('createHttpConsumer: bodies', () => {
  it('decodes a gzip body for the sample; bytes count the encoded size', () => {
    const json = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ id: i })) });
    const gz = gzipSync(Buffer.from(json));
    const h = harness();
    h.send(0, GET);
    h.send(1, Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`), gz]));
    expect(h.exchanges[0]?.http.response?.body).toEqual({ bytes: gz.length, content: json });
  });

  it('undoes transfer codings under chunked before the content coding, and passes decoding flags on', () => {
    const text = 'name=value&x=1';
    const gz = gzipSync(Buffer.from(text));
    const h = harness();
    h.send(0, Buffer.concat([Buffer.from(`POST /f HTTP/1.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: gzip, chunked\r\n\r\n${gz.length.toString(16)}\r\n`), gz, Buffer.from('\r\n0\r\n\r\n')]));
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: snappy\r\nContent-Length: 3\r\n\r\nabc');
    const x = h.exchanges[0];
    expect(x?.http.request.body).toEqual({ bytes: gz.length, content: text });
    expect(x?.http.response?.body).toEqual({ bytes: 3, content: 'abc' });
    expect(flagsOf(x)).toEqual(['http_unsupported_transfer_encoding', 'content_encoding_unknown']);
  });

  it('flags request and response versions of different major numbers', () => {
    const h = harness();
    h.send(0, 'GET / HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(flagsOf(h.exchanges[0])).toEqual(['http_version_mismatch']);
  });

  it('caps the sample and flags body_sample_capped; binary bodies get no content', () => {
    const h = harness({ config: { bodySampleBytes: 4 } });
    h.send(0, GET);
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n0123456789');
    expect(h.exchanges[0]?.http.response?.body).toEqual({ bytes: 10, content: '0123' });
    expect(flagsOf(h.exchanges[0])).toEqual(['body_sample_capped']);
    const bin = harness();
    bin.send(0, GET);
    bin.send(1, Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 4\r\n\r\n'), Buffer.from([0x89, 0x50, 0x00, 0xff])]));
    expect(bin.exchanges[0]?.http.response?.body).toEqual({ bytes: 4 });
  });

  it('keeps only bodyRawSampleBytes raw bytes but counts the true size', () => {
    const h = harness({ config: { bodyRawSampleBytes: 16 } });
    h.send(0, GET);
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 40\r\n\r\n');
    h.send(1, 'a'.repeat(20));
    h.send(1, 'b'.repeat(20));
    expect(h.exchanges[0]?.http.response?.body).toEqual({ bytes: 40, content: 'a'.repeat(16) });
    expect(flagsOf(h.exchanges[0])).toEqual(['body_sample_capped']);
  });

  it('copies the body out of the segment buffer (it is reused after onData)', () => {
    const h = harness();
    h.send(0, GET);
    const seg = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nhello');
    h.send(1, seg);
    seg.fill(0x21);
    h.send(1, 'world');
    expect(h.exchanges[0]?.http.response?.body.content).toBe('helloworld');
  });

  it('redacts password-like request body fields, Authorization, Cookie and Set-Cookie, with the actor key from the raw values', () => {
    const h = harness();
    const body = '{"user":"bob","password":"hunter2"}';
    h.send(0, `POST /login HTTP/1.1\r\nHost: a\r\nAuthorization: Basic ${Buffer.from('bob:pw').toString('base64')}\r\nCookie: sessionid=abc; theme=dark\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    h.send(1, 'HTTP/1.1 200 OK\r\nSet-Cookie: sessionid=new1; Path=/\r\nSet-Cookie: other=new2; HttpOnly\r\nContent-Length: 0\r\n\r\n');
    const x = h.exchanges[0];
    const json = JSON.stringify(x);
    for (const secret of ['hunter2', 'abc;', 'new1', 'new2', Buffer.from('bob:pw').toString('base64')]) expect(json).not.toContain(secret);
    expect(x?.sidetap.actor_key).toBe('basic:bob');
    // An ordinary cookie value (not a credential by name or look) is kept for the request-threat detector.
    expect(x?.http.request.headers['cookie']).toBe(`sessionid=${redactor.hash('abc')}; theme=dark`);
    expect(x?.http.response?.headers['set-cookie']).toBe(`sessionid=${redactor.hash('new1')}; Path=/, other=${redactor.hash('new2')}; HttpOnly`);
    expect(x?.http.request.body.content).toContain('"user":"bob"');
    expect(x?.http.request.body.bytes).toBe(body.length);
  });

  it('hashes the tokens a response body issues, the same way as the header that later carries them', () => {
    const h = harness();
    h.send(0, 'POST /oauth/token HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n');
    const body = '{"access_token":"tok-abc-123","refresh_token":"ref-456","token_type":"Bearer","expires_in":3600}';
    h.send(1, `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    h.send(0, 'GET /me HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer tok-abc-123\r\n\r\n');
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    const json = JSON.stringify(h.exchanges);
    expect(json).not.toContain('tok-abc-123');
    expect(json).not.toContain('ref-456');
    const issued = JSON.parse(h.exchanges[0]?.http.response?.body.content ?? '{}') as { access_token: string; expires_in: number };
    expect(issued.expires_in).toBe(3600);
    expect(h.exchanges[1]?.http.request.headers['authorization']).toBe(`Bearer ${issued.access_token}`);
  });

  it('derives a cookie actor key when there is no Authorization', () => {
    const h = harness();
    h.send(0, 'GET / HTTP/1.1\r\nCookie: sessionid=s3cr3t\r\n\r\n');
    h.close();
    expect(h.exchanges[0]?.sidetap.actor_key).toBe(actorKey({ headers: { cookie: 'sessionid=s3cr3t' }, clientIp: '10.0.0.1' }, { redactor }));
    expect(JSON.stringify(h.exchanges[0])).not.toContain('s3cr3t');
  });
});
