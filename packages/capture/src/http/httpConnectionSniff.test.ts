import { flagsOf, harness } from './__tests__/connectionHarness';

/** A TLS 1.2 record holding a ClientHello with the server_name extension. */
function clientHello(sni: string): Buffer {
  const name = Buffer.from(sni, 'ascii');
  const serverName = Buffer.concat([u16(name.length + 3), Buffer.from([0]), u16(name.length), name]);
  const ext = Buffer.concat([u16(0), u16(serverName.length), serverName]);
  const body = Buffer.concat([
    Buffer.from([3, 3]),
    Buffer.alloc(32, 1),
    Buffer.from([0]),
    u16(2),
    Buffer.from([0x13, 0x01]),
    Buffer.from([1, 0]),
    u16(ext.length),
    ext,
  ]);
  const handshake = Buffer.concat([Buffer.from([1, 0, body.length >> 8, body.length & 0xff]), body]);
  return Buffer.concat([Buffer.from([0x16, 3, 1]), u16(handshake.length), handshake]);
}
function u16(n: number): Buffer {
  return Buffer.from([n >> 8, n & 0xff]);
}

describe('createHttpConsumer: recognising HTTP by content', () => {
  it('skips TLS and tallies its server name', () => {
    const h = harness();
    h.send(0, clientHello('api.example.com'));
    h.send(1, Buffer.from([0x16, 3, 3, 0, 2, 2, 0]));
    h.send(0, 'GET / HTTP/1.1\r\n\r\n');
    h.close();
    expect(h.exchanges).toEqual([]);
    expect(h.counters.get('capture_flows_skipped_total{kind="tls"}')).toBe(1);
    expect(h.ctx.tlsServerNames.top()).toEqual([['api.example.com', 1]]);
  });

  it('skips HTTP/2 (prior knowledge preface), even when it arrives in pieces', () => {
    const h = harness();
    h.send(0, 'PRI * HTTP/2.0\r\n');
    h.send(0, '\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00');
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    h.close();
    expect(h.exchanges).toEqual([]);
    expect(h.counters.get('capture_flows_skipped_total{kind="http2"}')).toBe(1);
  });

  it('skips SSH, including a server that speaks first', () => {
    const h = harness();
    h.send(1, 'SSH-2.0-OpenSSH_9.6\r\n');
    h.send(0, 'SSH-2.0-OpenSSH_9.6\r\n');
    h.close();
    expect(h.counters.get('capture_flows_skipped_total{kind="ssh"}')).toBe(1);
  });

  it('skips anything else, on any port, without misparsing it', () => {
    const h = harness();
    h.send(0, 'EHLO mail.test\r\n');
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    h.close();
    expect(h.exchanges).toEqual([]);
    expect(h.counters.get('capture_flows_skipped_total{kind="other"}')).toBe(1);
  });

  it('waits for a request line split over segments before deciding', () => {
    const h = harness();
    h.send(0, 'GE');
    h.send(0, 'T /x HT');
    h.send(0, 'TP/1.1\r\nHost: h\r\n\r\n');
    h.send(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(h.exchanges.map((x) => [x.url.path, flagsOf(x)])).toEqual([['/x', []]]);
  });

  it('holds at most httpMaxHeaderBytes of first bytes before giving up', () => {
    const h = harness({ config: { httpMaxHeaderBytes: 64 } });
    h.send(0, 'GET /' + 'a'.repeat(40));
    expect(h.counters.snapshot()).toEqual({});
    h.send(0, 'a'.repeat(40));
    expect(h.counters.get('capture_flows_skipped_total{kind="other"}')).toBe(1);
  });

  it('decides on what it holds when the server answers an unfinished first line', () => {
    const h = harness();
    h.send(0, 'GE');
    h.send(1, 'HTTP/1.1 400 Bad Request\r\n\r\n');
    h.close();
    expect(h.exchanges).toEqual([]);
    expect(h.counters.get('capture_flows_skipped_total{kind="other"}')).toBe(1);
  });

  it('a gap before the first bytes are recognised: assume HTTP and hunt', () => {
    const h = harness();
    h.send(0, 'GET /lo');
    h.gap(0, 100);
    h.send(0, 'st\r\n\r\nGET /found HTTP/1.1\r\n\r\n');
    h.close();
    expect(h.exchanges.map((x) => [x.url.path, flagsOf(x)])).toEqual([['/found', ['gap', 'unanswered_request']]]);
  });

  it('midstream: skips a connection whose first bytes are TLS', () => {
    const h = harness({ handshake: false });
    h.send(0, clientHello('mid.example.com'));
    h.close();
    expect(h.counters.get('capture_flows_skipped_total{kind="tls"}')).toBe(1);
  });

  it('a connection with no data is not counted', () => {
    const h = harness();
    h.close();
    expect(h.counters.snapshot()).toEqual({});
  });
});
