// Framing and routing ambiguities seen end to end: what a server would do, and the flag saying so.
import { flagsOf, harness } from './__tests__/connectionHarness';

const summary = (h: ReturnType<typeof harness>) =>
  h.exchanges.map((x) => [x.http.request.method, x.url.path, x.http.request.body.bytes, x.http.response?.status_code, x.http.response?.body.bytes, flagsOf(x)]);

describe('createHttpConsumer: framing ambiguities', () => {
  it('Transfer-Encoding "chunked" followed by NBSP is not chunked: the request cannot be framed', () => {
    const h = harness();
    h.send(0, 'POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\xa0\r\nContent-Length: 5\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n');
    h.close();
    expect(summary(h)[0]).toEqual(['POST', '/a', 0, undefined, undefined, ['unanswered_request', 'http_unsupported_transfer_encoding']]);
  });

  it('Transfer-Encoding in an HTTP/1.0 request is flagged; the body is still de-chunked', () => {
    const h = harness();
    h.send(0, 'POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 30\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    h.send(1, 'HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(summary(h)).toEqual([['POST', '/a', 5, 200, 0, ['http_content_length_and_chunked', 'http_te_in_http10']]]);
  });

  it('chunk sizes and Content-Length with many leading zeros are read as numbers', () => {
    const h = harness();
    h.send(0, `POST /a HTTP/1.1\r\nContent-Length: ${'0'.repeat(18)}2\r\n\r\nokGET /b HTTP/1.1\r\n\r\n`);
    h.send(1, `HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'0'.repeat(18)}5\r\nhello\r\n0000\r\n\r\n`);
    expect(summary(h)).toEqual([
      ['POST', '/a', 2, 200, 0, []],
      ['GET', '/b', 0, 200, 5, ['pipelined']],
    ]);
  });

  it('a status code below 100 is a final response, flagged, not a swallowed interim one', () => {
    const h = harness();
    h.send(0, 'GET /a HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 099 Odd\r\nContent-Length: 2\r\n\r\nok');
    h.send(0, 'GET /b HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 600 Odd\r\nContent-Length: 2\r\n\r\nok');
    expect(summary(h)).toEqual([
      ['GET', '/a', 0, 99, 2, ['http_bad_status_line']],
      ['GET', '/b', 0, 600, 2, ['http_bad_status_line']],
    ]);
  });
});

describe('createHttpConsumer: request line and host ambiguities', () => {
  it('two spaces after the method: the request and its body are read as nginx reads them, flagged', () => {
    const h = harness();
    h.send(0, 'GET /first HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 204 No Content\r\n\r\n');
    h.send(0, 'POST  /a HTTP/1.1\r\nContent-Length: 25\r\n\r\nGET /admin HTTP/1.1\r\n\r\n\r\n');
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(summary(h)[1]).toEqual(['POST', '/a', 25, 200, 0, ['http_bad_request_line']]);
    expect(h.exchanges).toHaveLength(2);
  });

  it('a NUL in the target is flagged', () => {
    const h = harness();
    h.send(0, 'GET /first HTTP/1.1\r\n\r\nGET /a\x00b HTTP/1.1\r\n\r\n');
    h.close();
    expect(flagsOf(h.exchanges[1])).toEqual(['unanswered_request', 'pipelined', 'http_bad_request_line']);
  });

  it('the absolute-form host wins over Host, and their disagreement is flagged', () => {
    const h = harness();
    h.send(0, 'GET http://a.test/x HTTP/1.1\r\nHost: evil.test\r\n\r\nGET /y HTTP/1.1\r\nHost: a.test\r\nHost: evil.test\r\n\r\n');
    h.close();
    expect(h.exchanges.map((x) => [x.url.domain, flagsOf(x)])).toEqual([
      ['a.test', ['unanswered_request', 'http_ambiguous_host']],
      ['a.test', ['unanswered_request', 'pipelined', 'http_ambiguous_host']],
    ]);
  });
});

describe('createHttpConsumer: a response that never parses', () => {
  it('flags the bad status line on the request left unanswered when the connection ends', () => {
    const h = harness();
    h.send(0, 'GET /a HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    h.send(0, 'GET /b HTTP/1.1\r\n\r\n');
    h.send(1, 'http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    h.close();
    expect(summary(h)).toEqual([
      ['GET', '/a', 0, 200, 0, []],
      ['GET', '/b', 0, undefined, undefined, ['unanswered_request', 'http_bad_status_line']],
    ]);
  });
});
