import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../decode/tcpSegment';
import { CLIENT, SERVER, TcpTestBench, handshake } from './testSegments';
import type { Endpoint } from './streamConsumer';

const DATA = TCP_ACK | TCP_PSH;
const CONFLICTS = 'capture_tcp_overlap_conflicts_total';
const SKIPPED = 'capture_tcp_retain_skipped_bytes_total';
const client = (port: number): Endpoint => ({ ip: CLIENT.ip, port });

describe('TcpReassembler retransmissions of delivered data', () => {
  it('reports a retransmission that differs from delivered, unacknowledged bytes once per segment', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'hello world' });
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'hellX worlX' });
    bench.send(CLIENT, SERVER, { seq: 7, flags: DATA, payload: 'WORLD!!' });
    expect(bench.only.events).toEqual(['data0:hello world', 'conflict0', 'conflict0', 'data0:!!']);
    expect(bench.counters.get(CONFLICTS)).toBe(2);
    expect(bench.counters.get('capture_tcp_retransmitted_bytes_total')).toBe(16);
  });

  it('does not report an identical retransmission', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(SERVER, CLIENT, { seq: 1, flags: DATA, payload: 'HTTP/1.1 200 OK\r\n' });
    bench.send(SERVER, CLIENT, { seq: 1, flags: DATA, payload: 'HTTP/1.1 200 OK\r\n' });
    bench.send(SERVER, CLIENT, { seq: 10, flags: DATA, payload: '200 OK\r\nA: b' });
    expect(bench.only.events).toEqual(['data1:HTTP/1.1 200 OK\r\nA: b']);
    expect(bench.counters.get(CONFLICTS)).toBe(0);
  });

  it('compares across the 2^32 sequence wraparound', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0xffff_fffa, 0);
    bench.send(CLIENT, SERVER, { seq: 0xffff_fffb, flags: DATA, payload: 'abcdefgh' });
    bench.send(CLIENT, SERVER, { seq: 0xffff_fffe, flags: DATA, payload: 'deXgh' });
    expect(bench.only.events).toEqual(['data0:abcdefgh', 'conflict0']);
  });

  it('releases bytes once a later ACK follows the one that covered them', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'abcdef' });
    bench.send(SERVER, CLIENT, { seq: 1, ack: 7, flags: TCP_ACK });
    // The ACK may not have reached the sender yet: a resend it covers is still compared.
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'abcXef' });
    bench.send(CLIENT, SERVER, { seq: 7, flags: DATA, payload: 'g' });
    bench.send(SERVER, CLIENT, { seq: 1, ack: 8, flags: TCP_ACK });
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'XXXXXX' });
    bench.send(CLIENT, SERVER, { seq: 6, flags: DATA, payload: 'XZ' });
    expect(bench.only.events).toEqual(['data0:abcdef', 'conflict0', 'data0:g', 'conflict0']);
    bench.send(CLIENT, SERVER, { seq: 8, flags: DATA, payload: 'h' });
    bench.send(SERVER, CLIENT, { seq: 1, ack: 9, flags: TCP_ACK });
    expect(bench.reassembler.retainedBytes).toBe(4096);
    bench.send(SERVER, CLIENT, { seq: 1, ack: 9, flags: TCP_ACK });
    expect(bench.reassembler.retainedBytes).toBe(4096);
    bench.send(CLIENT, SERVER, { seq: 9, flags: DATA, payload: 'i' });
    bench.send(SERVER, CLIENT, { seq: 1, ack: 10, flags: TCP_ACK });
    bench.send(SERVER, CLIENT, { seq: 1, ack: 11, flags: TCP_ACK });
    expect(bench.reassembler.retainedBytes).toBe(0);
    expect(bench.counters.get(CONFLICTS)).toBe(2);
  });

  it('keeps no more than the per-direction cap, counting what it skips, and resumes once released', () => {
    const bench = new TcpTestBench({ tcpRetainUnackedBytes: 8 });
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'abcdef' });
    bench.send(CLIENT, SERVER, { seq: 7, flags: DATA, payload: 'ghi' });
    bench.send(CLIENT, SERVER, { seq: 10, flags: DATA, payload: 'jk' });
    expect(bench.counters.get(SKIPPED)).toBe(5);
    expect(bench.reassembler.retainedBytes).toBe(8);
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'abcdeX' });
    bench.send(CLIENT, SERVER, { seq: 7, flags: DATA, payload: 'XXX' });
    expect(bench.counters.get(CONFLICTS)).toBe(1);
    bench.send(SERVER, CLIENT, { seq: 1, ack: 12, flags: TCP_ACK });
    bench.send(SERVER, CLIENT, { seq: 1, ack: 13, flags: TCP_ACK });
    expect(bench.reassembler.retainedBytes).toBe(0);
    bench.send(CLIENT, SERVER, { seq: 12, flags: DATA, payload: 'lmn' });
    bench.send(CLIENT, SERVER, { seq: 12, flags: DATA, payload: 'lXn' });
    expect(bench.counters.get(CONFLICTS)).toBe(2);
    expect(bench.only.text(0)).toBe('abcdefghijklmn');
  });

  it('never keeps more than the cap when the peer never acknowledges (one-sided capture)', () => {
    const bench = new TcpTestBench({ tcpRetainUnackedBytes: 10_000 });
    bench.send(SERVER, CLIENT, { seq: 1, flags: DATA, payload: Buffer.alloc(1460, 1) });
    for (let i = 1; i < 100; i += 1) bench.send(SERVER, CLIENT, { seq: 1 + i * 1460, flags: DATA, payload: Buffer.alloc(1460, 1) });
    expect(bench.reassembler.retainedBytes).toBe(12_288);
    expect(bench.counters.get(SKIPPED)).toBe(100 * 1460 - 6 * 1460);
  });

  it('shares one budget across connections and gives it back on close and eviction', () => {
    const bench = new TcpTestBench({ tcpRetainUnackedBytes: 8, tcpRetainTotalBytes: 16, maxFlows: 3 });
    for (const port of [1, 2, 3]) {
      bench.send(client(port), SERVER, { seq: 0, flags: TCP_SYN });
      bench.send(client(port), SERVER, { seq: 1, flags: DATA, payload: 'abcd' });
    }
    expect(bench.reassembler.retainedBytes).toBe(16);
    expect(bench.counters.get(SKIPPED)).toBe(4);
    bench.send(client(3), SERVER, { seq: 1, flags: DATA, payload: 'abXd' });
    expect(bench.counters.get(CONFLICTS)).toBe(0);
    bench.send(SERVER, client(1), { seq: 0, flags: TCP_RST });
    expect(bench.reassembler.retainedBytes).toBe(8);
    bench.send(client(3), SERVER, { seq: 5, flags: DATA, payload: 'ef' });
    bench.send(client(3), SERVER, { seq: 5, flags: DATA, payload: 'eX' });
    expect(bench.counters.get(CONFLICTS)).toBe(1);
    expect(bench.reassembler.retainedBytes).toBe(16);
    bench.send(client(4), SERVER, { seq: 0, flags: TCP_SYN });
    bench.send(client(5), SERVER, { seq: 0, flags: TCP_SYN });
    expect(bench.counters.get('capture_flows_evicted_total')).toBe(1);
    expect(bench.reassembler.retainedBytes).toBe(8);
    bench.reassembler.closeAll('capture_ended', bench.nowUs);
    expect(bench.reassembler.retainedBytes).toBe(0);
  });

  it('releases a direction at its FIN', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'abc' });
    bench.send(SERVER, CLIENT, { seq: 1, ack: 4, flags: DATA, payload: 'xyz' });
    expect(bench.reassembler.retainedBytes).toBe(8192);
    bench.send(CLIENT, SERVER, { seq: 4, ack: 4, flags: TCP_FIN | TCP_ACK });
    expect(bench.reassembler.retainedBytes).toBe(4096);
    bench.send(SERVER, CLIENT, { seq: 4, ack: 5, flags: TCP_FIN | TCP_ACK });
    expect(bench.reassembler.retainedBytes).toBe(0);
    expect(bench.only.events).toEqual(['data0:abc', 'data1:xyz', 'end0', 'end1', 'close:fin']);
  });

  it.each([{ tcpRetainUnackedBytes: 0 }, { tcpRetainTotalBytes: 0 }])('keeps nothing and compares nothing with %j', (config) => {
    const bench = new TcpTestBench(config);
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'abcdef' });
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'XXXXXX' });
    expect(bench.only.events).toEqual(['data0:abcdef']);
    expect(bench.reassembler.retainedBytes).toBe(0);
    expect(bench.counters.get(SKIPPED)).toBe(0);
    expect(bench.counters.get(CONFLICTS)).toBe(0);
  });
});
