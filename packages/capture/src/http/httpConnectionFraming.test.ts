import { flagsOf, harness } from './__tests__/connectionHarness';

const summary = (h: ReturnType<typeof harness>) =>
  h.exchanges.map((x) => [x.http.request.method, x.url.path, x.http.response?.status_code, x.http.response?.body.bytes, flagsOf(x)]);

describe('createHttpConsumer: responses without a body', () => {
  it('HEAD, 204 and 304 responses end at their head even with Content-Length', () => {
    const h = harness();
    h.send(0, 'HEAD /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\nGET /d HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
    h.send(1, 'HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n');
    h.send(1, 'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n');
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    expect(summary(h)).toEqual([
      ['HEAD', '/a', 200, 0, []],
      ['GET', '/b', 204, 0, ['pipelined']],
      ['GET', '/c', 304, 0, ['pipelined']],
      ['GET', '/d', 200, 2, ['pipelined']],
    ]);
  });

  it('skips 1xx interim responses (100-continue, 103) and flags them', () => {
    const h = harness();
    h.send(0, 'PUT /up HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n');
    h.send(1, 'HTTP/1.1 100 Continue\r\n\r\n');
    h.send(0, 'hello');
    h.send(1, 'HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n');
    expect(summary(h)).toEqual([['PUT', '/up', 201, 0, ['http_expect_continue', 'http_informational']]]);
    expect(h.exchanges[0]?.http.request.body.bytes).toBe(5);
    expect(h.exchanges[0]?.destination.bytes).toBe('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n'.length);
  });

  it('waits for the request body when the response comes first', () => {
    const h = harness();
    h.send(0, 'POST /big HTTP/1.1\r\nContent-Length: 6\r\n\r\nabc');
    h.send(1, 'HTTP/1.1 413 Too Large\r\nContent-Length: 0\r\n\r\n');
    expect(h.exchanges).toHaveLength(0);
    h.send(0, 'def');
    expect(summary(h)).toEqual([['POST', '/big', 413, 0, []]]);
  });
});

describe('createHttpConsumer: close-delimited, CONNECT and Upgrade', () => {
  it('a response without framing runs to the server FIN', () => {
    const h = harness();
    h.send(0, 'GET /old HTTP/1.0\r\n\r\n');
    h.send(1, 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\npart one ');
    h.send(1, 'part two');
    expect(h.exchanges).toHaveLength(0);
    h.end(1);
    expect(summary(h)).toEqual([['GET', '/old', 200, 17, ['http_close_delimited']]]);
    expect(h.exchanges[0]?.http.response?.body.content).toBe('part one part two');
  });

  it('a close-delimited body ends normally at rst or capture end, flagged on idle timeout or eviction', () => {
    for (const [reason, extra] of [
      ['rst', []],
      ['capture_ended', []],
      ['idle_timeout', ['idle_timeout']],
      ['flow_evicted', ['flow_evicted']],
    ] as const) {
      const h = harness();
      h.send(0, 'GET / HTTP/1.1\r\n\r\n');
      h.send(1, 'HTTP/1.1 200 OK\r\n\r\nabc');
      h.close(reason);
      expect([reason, flagsOf(h.exchanges[0])]).toEqual([reason, [...extra, 'http_close_delimited']]);
    }
  });

  it('stops at a CONNECT tunnel', () => {
    const h = harness();
    h.send(0, 'CONNECT db.test:443 HTTP/1.1\r\nHost: db.test:443\r\n\r\n');
    h.send(1, 'HTTP/1.1 200 Connection Established\r\n\r\n');
    h.send(0, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]));
    h.send(1, 'GET /not-http HTTP/1.1\r\n\r\n');
    h.close();
    expect(summary(h)).toEqual([['CONNECT', '', 200, 0, ['http_connect']]]);
    expect(h.exchanges[0]?.url.domain).toBe('db.test');
  });

  it('parses on after a refused CONNECT', () => {
    const h = harness();
    h.send(0, 'CONNECT db.test:443 HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
    h.send(0, 'GET / HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(summary(h)).toEqual([
      ['CONNECT', '', 407, 0, []],
      ['GET', '/', 200, 0, []],
    ]);
  });

  it('stops at 101 Switching Protocols', () => {
    const h = harness();
    h.send(0, 'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    h.send(1, 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello');
    h.send(0, '\x81\x85abcdGET / HTTP/1.1\r\n\r\n');
    h.close();
    expect(summary(h)).toEqual([['GET', '/ws', 101, 0, ['http_upgrade']]]);
  });
});

describe('createHttpConsumer: smuggling patterns', () => {
  it('CL and TE chunked: chunked wins, flagged, the next request still parses', () => {
    const h = harness();
    h.send(0, 'POST /a HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /b HTTP/1.1\r\n\r\n');
    h.close();
    expect(h.exchanges.map((x) => [x.url.path, x.http.request.body.bytes, flagsOf(x)])).toEqual([
      ['/a', 5, ['unanswered_request', 'http_content_length_and_chunked']],
      ['/b', 0, ['unanswered_request', 'pipelined']],
    ]);
  });

  it('duplicate Content-Length', () => {
    const h = harness();
    h.send(0, 'POST /a HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc');
    h.close();
    expect(flagsOf(h.exchanges[0])).toEqual(['unanswered_request', 'http_duplicate_content_length']);
  });

  it('conflicting or invalid Content-Length ends the message and parsing resynchronises', () => {
    const h = harness();
    h.send(0, 'POST /a HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 30\r\n\r\nabcGET /b HTTP/1.1\r\n\r\n');
    h.send(0, 'POST /c HTTP/1.1\r\nContent-Length: abc\r\n\r\nxyz\r\nGET /d HTTP/1.1\r\n\r\n');
    h.close();
    expect(h.exchanges.map((x) => [x.url.path, flagsOf(x).filter((f) => f.startsWith('http_'))])).toEqual([
      ['/a', ['http_duplicate_content_length', 'http_invalid_content_length']],
      ['/c', ['http_invalid_content_length']],
      ['/d', []],
    ]);
  });

  it('Transfer-Encoding with obs-fold', () => {
    const h = harness();
    h.send(0, 'POST /a HTTP/1.1\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n');
    h.close();
    expect(flagsOf(h.exchanges[0])).toEqual(['unanswered_request', 'http_obs_fold', 'http_te_obs_fold']);
  });

  it('a request with an unsupported transfer coding is not framed; parsing resynchronises', () => {
    const h = harness();
    h.send(0, 'POST /a HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n\x1f\x8b\x08junk\r\nGET /b HTTP/1.1\r\n\r\n');
    h.close();
    expect(h.exchanges.map((x) => [x.url.path, flagsOf(x)])).toEqual([
      ['/a', ['unanswered_request', 'http_unsupported_transfer_encoding']],
      ['/b', ['unanswered_request', 'pipelined']],
    ]);
  });

  it('a bad chunk size ends the message; the next message is found again', () => {
    const h = harness();
    h.send(0, 'GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\nmore junk\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    expect(h.exchanges.map((x) => [x.url.path, x.http.response?.body.bytes, flagsOf(x)])).toEqual([
      ['/a', 3, ['http_bad_chunk_size']],
      ['/b', 2, ['pipelined']],
    ]);
  });

  it('flags bare LF and invalid header lines on the exchange', () => {
    const h = harness();
    h.send(0, 'GET / HTTP/1.1\nHost: a\nBad Header: x\n\n');
    h.close();
    expect(flagsOf(h.exchanges[0])).toEqual(['unanswered_request', 'http_invalid_header', 'http_bare_lf']);
    expect(h.exchanges[0]?.http.request.headers).toEqual({ host: 'a' });
  });
});

describe('createHttpConsumer: malformed start lines and oversized heads', () => {
  it('flags a bad request line on the next request after resynchronising', () => {
    const h = harness();
    h.send(0, 'GET / HTTP/1.1\r\n\r\n');
    h.send(0, 'GARBAGE LINE\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\n\r\n');
    h.close();
    expect(h.exchanges.map((x) => [x.url.path, flagsOf(x)])).toEqual([
      ['/', ['unanswered_request']],
      ['/next', ['unanswered_request', 'pipelined', 'http_bad_request_line']],
    ]);
    expect(h.counters.get('capture_http_start_lines_rejected_total{kind="request"}')).toBe(1);
  });

  it('flags a bad status line on the next response', () => {
    const h = harness();
    h.send(0, 'GET /a HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 OK\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(flagsOf(h.exchanges[0])).toEqual(['http_bad_status_line']);
  });

  it('an oversized head gives an exchange flagged headers_too_large, then parsing resynchronises', () => {
    const h = harness({ config: { httpMaxHeaderBytes: 256 } });
    h.send(0, 'GET /big HTTP/1.1\r\nHost: a\r\n' + 'X-Pad: yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n'.repeat(20) + '\r\n');
    h.send(0, 'GET /small HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 431 Too Large\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(h.exchanges.map((x) => [x.url.path, x.http.response?.status_code, x.url.domain, flagsOf(x)])).toEqual([
      ['/big', 431, 'a', ['headers_too_large']],
      ['/small', 200, undefined, ['pipelined']],
    ]);
  });

  it('a start line longer than the limit is dropped, counted, and flagged on the next message', () => {
    const h = harness({ config: { httpMaxHeaderBytes: 128 } });
    h.send(0, 'GET / HTTP/1.1\r\n\r\n');
    h.send(0, `GET /${'a'.repeat(300)} HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n`);
    h.close();
    expect(h.exchanges.map((x) => [x.url.path, flagsOf(x)])).toEqual([
      ['/', ['unanswered_request']],
      ['/b', ['unanswered_request', 'pipelined', 'headers_too_large']],
    ]);
    expect(h.counters.get('capture_http_heads_dropped_total{reason="too_large"}')).toBe(1);
  });
});
