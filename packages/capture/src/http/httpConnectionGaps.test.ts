import { flagsOf, harness, T0 } from './__tests__/connectionHarness';
import { CLOCK_SKEW_US } from './exchangePairing';

const paths = (h: ReturnType<typeof harness>) => h.exchanges.map((x) => [x.url.path, x.http.response?.status_code, flagsOf(x)]);

describe('createHttpConsumer: gaps', () => {
  it('a known gap inside a Content-Length body is counted as body; the connection goes on', () => {
    const h = harness();
    h.send(0, 'GET /a HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n\r\n01234');
    h.gap(1, 10);
    h.send(0, 'GET /b HTTP/1.1\r\n\r\n');
    h.send(1, '56789HTTP/1.1 204 No Content\r\n\r\n');
    expect(h.exchanges[0]?.http.response?.body).toEqual({ bytes: 20, content: '01234' });
    expect(flagsOf(h.exchanges[0])).toEqual(['gap']);
    expect(paths(h)[1]).toEqual(['/b', 204, []]);
  });

  it('a gap running past the body end ends the message and resynchronises', () => {
    const h = harness();
    h.send(0, 'GET /a HTTP/1.1\r\n\r\n', T0 + 1);
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234', T0 + 2);
    h.send(0, 'GET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n', T0 + 3);
    h.gap(1, 100, T0 + 4);
    h.send(1, 'ail of a lost response\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n', T0 + 5);
    expect(paths(h)).toEqual([
      ['/a', 200, ['gap']],
      ['/b', undefined, ['gap', 'unanswered_request']],
      ['/c', 202, ['gap', 'pipelined']],
    ]);
    expect(h.exchanges[0]?.http.response?.body.bytes).toBe(10);
  });

  it('an unknown gap in a body truncates it', () => {
    const h = harness();
    h.send(0, 'GET /a HTTP/1.1\r\n\r\n');
    h.send(1, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel');
    h.gap(1, 0);
    h.send(1, 'xx\r\n0\r\n\r\n');
    expect(paths(h)).toEqual([['/a', 200, ['gap', 'truncated_body']]]);
  });

  it('a gap inside a response head keeps what came; the next response pairs with the latest request sent before it', () => {
    const h = harness();
    h.send(0, 'GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n', T0 + 10);
    h.send(1, 'HTTP/1.1 200 OK\r\nConte', T0 + 20);
    h.gap(1, 50, T0 + 30);
    h.send(1, 'lost\r\n\r\nHTTP/1.1 203 OK\r\nContent-Length: 0\r\n\r\n', T0 + 40);
    h.send(0, 'GET /4 HTTP/1.1\r\n\r\n', T0 + 50);
    h.close();
    expect(paths(h)).toEqual([
      ['/1', 200, ['gap']],
      ['/2', undefined, ['gap', 'unanswered_request', 'pipelined']],
      ['/3', 203, ['pipelined']],
      ['/4', undefined, ['unanswered_request']],
    ]);
  });

  it('a gap inside a request head keeps the request; the next one is not flagged and pairing stays in order', () => {
    const h = harness();
    h.send(0, 'GET /cut?y=1 HTTP/1.1\r\nHost: a.test\r\nAuthor', T0 + 1);
    h.gap(0, 1460, T0 + 2);
    h.send(0, 'GET /next HTTP/1.1\r\n\r\n', T0 + 3);
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na', T0 + 4);
    h.send(1, 'HTTP/1.1 201 OK\r\nContent-Length: 1\r\n\r\nb', T0 + 5);
    expect(paths(h)).toEqual([
      ['/cut', 200, ['gap']],
      ['/next', 201, ['pipelined']],
    ]);
    expect(h.exchanges[0]?.url.domain).toBe('a.test');
  });

  it('a gap before the start line of a head drops it, counted', () => {
    const h = harness();
    h.send(0, 'GET /cu', T0 + 1);
    h.gap(0, 10, T0 + 2);
    h.send(0, 'GET /next HTTP/1.1\r\n\r\n', T0 + 3);
    h.close();
    expect(paths(h)).toEqual([['/next', undefined, ['gap', 'unanswered_request']]]);
    expect(h.counters.get('capture_http_heads_dropped_total{reason="gap"}')).toBe(1);
  });

  it('keeps a head found while hunting when a gap cuts it after its start line (a short snap length)', () => {
    const h = harness();
    h.send(0, 'GET /a HTTP/1.1\r\nHost: api.test\r\nUser-Ag');
    h.gap(0, 30);
    h.send(0, 'GET /b HTTP/1.1\r\nHost: api.test\r\nAcc');
    h.gap(0, 20);
    h.send(0, 'GET /c HT');
    h.gap(0, 20);
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n');
    h.close();
    expect(paths(h)).toEqual([
      ['/a', 200, ['gap']],
      ['/b', 204, ['gap', 'pipelined']],
    ]);
    expect(h.counters.get('capture_http_heads_dropped_total{reason="gap"}')).toBe(0);
  });

  it('a gap in the client direction flags the next request and hunts for its start line', () => {
    const h = harness();
    h.send(0, 'POST /a HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc');
    h.gap(0, 0);
    h.send(0, 'rest of the body\r\nPUT /b HTTP/1.1\r\nContent-Length: 0\r\n\r\n');
    h.close();
    expect(paths(h)).toEqual([
      ['/a', undefined, ['gap', 'unanswered_request', 'truncated_body']],
      ['/b', undefined, ['gap', 'unanswered_request', 'pipelined']],
    ]);
  });

  it('a response does not pair with a request sent after it started', () => {
    const h = harness();
    h.send(1, 'HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n', T0 + 5);
    h.send(0, 'GET / HTTP/1.1\r\n\r\n', T0 + 9);
    h.close();
    expect(paths(h)).toEqual([
      ['', 408, ['unmatched_response']],
      ['/', undefined, ['unanswered_request']],
    ]);
  });

  it('pairs a response with a request the capture wrote after it but stamped before it', () => {
    const h = harness();
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', T0 + 300);
    expect(h.exchanges).toHaveLength(0);
    h.send(0, 'GET /a HTTP/1.1\r\n\r\n', T0 + 100);
    expect(paths(h)).toEqual([['/a', 200, []]]);
    expect(h.exchanges[0]?.event.duration).toBe(200_000);
    // Stamped before the next request: that response's request was never captured.
    h.send(1, 'HTTP/1.1 204 No Content\r\n\r\n', T0 + 900);
    h.send(0, 'GET /b HTTP/1.1\r\n\r\n', T0 + 1000);
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', T0 + 1400);
    expect(paths(h)).toEqual([
      ['/a', 200, []],
      ['', 204, ['unmatched_response']],
      ['/b', 200, []],
    ]);
  });

  it('pairs a response stamped a little before its request (NIC queues stamping out of step)', () => {
    const h = harness();
    h.send(0, 'GET /a HTTP/1.1\r\n\r\n', T0 + 100 + CLOCK_SKEW_US);
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', T0 + 100);
    h.send(0, 'GET /b HTTP/1.1\r\n\r\n', T0 + 5000 + CLOCK_SKEW_US + 1);
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', T0 + 5000);
    h.close();
    expect(paths(h)).toEqual([
      ['/a', 200, []],
      ['', 200, ['unmatched_response']],
      ['/b', undefined, ['unanswered_request']],
    ]);
    expect(h.exchanges[0]?.event.duration).toBe(0);
  });

  it('flags tcp_overlap_conflict on the message being read', () => {
    const h = harness();
    h.send(0, 'POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\n');
    h.consumer.onOverlapConflict(0, T0);
    h.send(0, 'ab');
    h.consumer.onOverlapConflict(1, T0);
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(flagsOf(h.exchanges[0])).toEqual(['tcp_overlap_conflict']);
  });

  it('a conflict right after a request was read marks that request while its exchange is held, never a later one', () => {
    const h = harness();
    h.send(0, 'GET /a HTTP/1.1\r\n\r\n');
    h.consumer.onOverlapConflict(0, T0);
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    h.consumer.onOverlapConflict(0, T0);
    h.send(0, 'GET /b HTTP/1.1\r\n\r\n');
    h.close();
    expect(h.exchanges.map((x) => [x.url.path, flagsOf(x)])).toEqual([
      ['/a', ['tcp_overlap_conflict']],
      ['/b', ['unanswered_request']],
    ]);
    // The second conflict touched bytes of /a after its exchange was emitted: counted, not misplaced.
    expect(h.counters.get('capture_http_overlap_conflicts_unattributed_total')).toBe(1);
  });
});

describe('createHttpConsumer: close', () => {
  it('an unfinished body is truncated and carries the close reason', () => {
    for (const reason of ['idle_timeout', 'flow_evicted', 'capture_ended'] as const) {
      const h = harness();
      h.send(0, 'GET / HTTP/1.1\r\n\r\n');
      h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
      h.close(reason);
      expect(flagsOf(h.exchanges[0])).toEqual([reason, 'truncated_body']);
      expect(h.exchanges[0]?.http.response?.body.bytes).toBe(3);
    }
  });

  it('a FIN before the body is complete truncates it', () => {
    const h = harness();
    h.send(0, 'POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc');
    h.end(0);
    h.send(1, 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    expect(paths(h)).toEqual([['/', 400, ['truncated_body']]]);
  });

  it('an incomplete head at the close is dropped and counted', () => {
    const h = harness();
    h.send(0, 'GET / HTTP/1.1\r\nHost: a\r\n');
    h.close('rst');
    expect(h.exchanges).toEqual([]);
    expect(h.counters.get('capture_http_heads_dropped_total{reason="incomplete"}')).toBe(1);
  });
});

describe('createHttpConsumer: midstream', () => {
  it('starts in the middle of a body, finds the roles by content and flags midstream', () => {
    const h = harness({ handshake: false });
    h.send(1, 'of a previous response body\r\nwith lines\r\n', T0 + 1);
    h.send(0, 'ody of a request\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n', T0 + 2);
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', T0 + 3);
    h.close();
    expect(paths(h)).toEqual([['/next', 200, ['midstream']]]);
    expect(h.exchanges[0]?.source).toMatchObject({ ip: '10.0.0.1', port: 51000 });
  });

  it('takes the start of a new piece of data as a possible message start (a body need not end in a line end)', () => {
    const h = harness({ handshake: false });
    h.send(1, '{"items":[1,2,3]}', T0 + 1);
    h.send(0, 'GET /s HTTP/1.1\r\n\r\n', T0 + 2);
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', T0 + 3);
    h.close();
    expect(paths(h)).toEqual([['/s', 200, ['midstream']]]);
  });

  it('tells the client when the first packet seen came from the server', () => {
    const h = harness({ handshake: false });
    h.send(0, 'tail\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx', T0 + 1);
    h.send(1, 'GET /z HTTP/1.1\r\n\r\n', T0 + 2);
    h.send(0, 'HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n', T0 + 3);
    h.close();
    expect(paths(h)).toEqual([
      ['', 200, ['midstream', 'unmatched_response']],
      ['/z', 201, ['midstream']],
    ]);
    expect(h.exchanges[1]?.source).toMatchObject({ ip: '10.0.0.2', port: 8080 });
    expect(h.exchanges[1]?.destination).toMatchObject({ ip: '10.0.0.1', port: 51000 });
  });

  it('finds a start line split across segments while hunting', () => {
    const h = harness({ handshake: false });
    h.send(0, 'garbage\r\nGE');
    h.send(0, 'T /split HTTP/1.1\r\n\r\n');
    h.close();
    expect(paths(h)).toEqual([['/split', undefined, ['midstream', 'unanswered_request']]]);
  });

  it('gives up on a connection that never shows a start line, counted as skipped', () => {
    const h = harness({ handshake: false });
    const junk = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 20; i++) h.send(i % 2 === 0 ? 0 : 1, junk);
    h.send(0, 'GET / HTTP/1.1\r\n\r\n');
    h.close();
    expect(h.exchanges).toEqual([]);
    expect(h.counters.get('capture_flows_skipped_total{kind="other"}')).toBe(1);
  });
});
