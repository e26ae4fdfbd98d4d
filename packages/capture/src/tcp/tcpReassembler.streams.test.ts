import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN } from '../decode/tcpSegment';
import type { TcpSegment } from '../decode/tcpSegment';
import { Counters } from '@sidetap/core';
import { defaultCaptureConfig } from '../captureConfig';
import { CLIENT, SERVER, TcpTestBench, handshake } from './testSegments';
import { TcpReassembler } from './tcpReassembler';
import type { Direction } from './streamConsumer';

const DATA = TCP_ACK | TCP_PSH;

describe('TcpReassembler streams', () => {
  it('delivers a handshake, request, response and FINs in order and closes once', () => {
    const bench = new TcpTestBench();
    handshake(bench, 1000, 5000);
    bench.send(CLIENT, SERVER, { seq: 1001, ack: 5001, flags: DATA, payload: 'GET / HTTP/1.1\r\n\r\n' });
    bench.send(SERVER, CLIENT, { seq: 5001, ack: 1019, flags: DATA, payload: 'HTTP/1.1 200 OK\r\n\r\n' });
    bench.send(CLIENT, SERVER, { seq: 1019, ack: 5020, flags: TCP_FIN | TCP_ACK });
    bench.send(SERVER, CLIENT, { seq: 5020, ack: 1020, flags: TCP_FIN | TCP_ACK });
    bench.send(CLIENT, SERVER, { seq: 1020, ack: 5021, flags: TCP_ACK });
    const conn = bench.only;
    expect(conn.events).toEqual([
      'data0:GET / HTTP/1.1\r\n\r\n',
      'data1:HTTP/1.1 200 OK\r\n\r\n',
      'end0',
      'end1',
      'close:fin',
    ]);
    expect(conn.info).toMatchObject({ a: CLIENT, b: SERVER, handshakeSeen: true, ipVersion: 4 });
    expect(bench.reassembler.openFlows).toBe(0);
    expect(bench.counters.get('capture_flows_created_total')).toBe(1);
    expect(bench.counters.get('capture_flows_closed_total{reason="fin"}')).toBe(1);
    expect(bench.counters.get('capture_tcp_segments_total')).toBe(8);
  });

  it('makes the receiver of a SYN/ACK seen first the client', () => {
    const bench = new TcpTestBench();
    bench.send(SERVER, CLIENT, { seq: 5000, ack: 1001, flags: TCP_SYN | TCP_ACK });
    bench.send(CLIENT, SERVER, { seq: 1001, ack: 5001, flags: DATA, payload: 'req' });
    bench.send(SERVER, CLIENT, { seq: 5001, ack: 1004, flags: DATA, payload: 'resp' });
    expect(bench.only.info).toMatchObject({ a: CLIENT, b: SERVER, handshakeSeen: true });
    expect(bench.only.events).toEqual(['data0:req', 'data1:resp']);
  });

  it('starts midstream at the first segment of each direction, sender of the first one as a', () => {
    const bench = new TcpTestBench();
    bench.send(SERVER, CLIENT, { seq: 777, ack: 123, flags: DATA, payload: 'tail of response' });
    bench.send(CLIENT, SERVER, { seq: 90_000, ack: 793, flags: DATA, payload: 'GET /next' });
    bench.send(SERVER, CLIENT, { seq: 793, ack: 90_009, flags: DATA, payload: '!' });
    const conn = bench.only;
    expect(conn.info).toMatchObject({ a: SERVER, b: CLIENT, handshakeSeen: false });
    expect(conn.text(0)).toBe('tail of response!');
    expect(conn.text(1)).toBe('GET /next');
  });

  it('holds out-of-order segments (copied) and delivers them once the hole is filled', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 7, flags: DATA, payload: 'world' });
    bench.send(CLIENT, SERVER, { seq: 12, flags: DATA, payload: '!' });
    expect(bench.only.text(0)).toBe('');
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'hello ' });
    expect(bench.only.text(0)).toBe('hello world!');
    expect(bench.counters.get('capture_tcp_out_of_order_total')).toBe(2);
    expect(bench.counters.get('capture_tcp_gaps_total')).toBe(0);
  });

  it('delivers in-order payload without copying it', () => {
    const seen: Buffer[] = [];
    const payload = Buffer.from('xxGET /');
    const reassembler = new TcpReassembler(defaultCaptureConfig(), new Counters(), () => ({
      onData: (_dir: Direction, data: Buffer) => void seen.push(data),
      onGap: () => undefined,
      onOverlapConflict: () => undefined,
      onEnd: () => undefined,
      onClose: () => undefined,
    }));
    const segment: TcpSegment = {
      tsUs: 1, ipVersion: 4, srcIp: CLIENT.ip, dstIp: SERVER.ip, srcPort: CLIENT.port, dstPort: SERVER.port,
      seq: 10, ack: 0, flags: DATA, payload: payload.subarray(2), snappedBytes: 0, vlan: undefined, vni: undefined, tunnel: undefined,
    };
    reassembler.onSegment(segment);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.buffer).toBe(payload.buffer);
    expect(seen[0]?.byteOffset).toBe(payload.byteOffset + 2);
  });

  it('trims retransmitted bytes already delivered and counts them', () => {
    const bench = new TcpTestBench();
    handshake(bench, 100, 200);
    bench.send(CLIENT, SERVER, { seq: 101, flags: DATA, payload: 'abcdef' });
    bench.send(CLIENT, SERVER, { seq: 101, flags: DATA, payload: 'abcdef' });
    bench.send(CLIENT, SERVER, { seq: 104, flags: DATA, payload: 'defghi' });
    expect(bench.only.text(0)).toBe('abcdefghi');
    expect(bench.counters.get('capture_tcp_retransmitted_bytes_total')).toBe(9);
  });

  it('keeps the first copy of overlapping held data and reports a conflict when bytes differ', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 5, flags: DATA, payload: 'SAFE' });
    bench.send(CLIENT, SERVER, { seq: 4, flags: DATA, payload: '-EVIL-' });
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'abc' });
    expect(bench.only.events).toEqual(['conflict0', 'data0:abc-SAFE-']);
    expect(bench.counters.get('capture_tcp_overlap_conflicts_total')).toBe(1);
  });

  it('reports a conflict when in-order data disagrees with held data, keeping the held copy', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 4, flags: DATA, payload: 'def' });
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'abcXYZghi' });
    expect(bench.only.events).toEqual(['data0:abc', 'conflict0', 'data0:defghi']);
  });

  it('does not report a conflict for identical overlapping data', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 4, flags: DATA, payload: 'def' });
    bench.send(CLIENT, SERVER, { seq: 3, flags: DATA, payload: 'cdefg' });
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'abcd' });
    expect(bench.only.events).toEqual(['data0:abcdefg']);
  });

  it('declares a gap when the out-of-order buffer exceeds its segment limit', () => {
    const bench = new TcpTestBench({ tcpMaxBufferedSegments: 2 });
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 11, flags: DATA, payload: 'b' });
    bench.send(CLIENT, SERVER, { seq: 12, flags: DATA, payload: 'c' });
    expect(bench.only.text(0)).toBe('');
    bench.send(CLIENT, SERVER, { seq: 14, flags: DATA, payload: 'e' });
    expect(bench.only.text(0)).toBe('[gap 10]bc');
    bench.send(CLIENT, SERVER, { seq: 13, flags: DATA, payload: 'd' });
    expect(bench.only.text(0)).toBe('[gap 10]bcde');
    expect(bench.counters.get('capture_tcp_buffer_overflows_total')).toBe(1);
    expect(bench.counters.get('capture_tcp_gaps_total')).toBe(1);
    expect(bench.counters.get('capture_tcp_gap_bytes_total')).toBe(10);
  });

  it('declares a gap when the out-of-order buffer exceeds its byte limit', () => {
    const bench = new TcpTestBench({ tcpMaxBufferedBytes: 8 });
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 3, flags: DATA, payload: 'cdef' });
    bench.send(CLIENT, SERVER, { seq: 9, flags: DATA, payload: 'ijklm' });
    // Giving up the first hole brings the buffer back under the limit; the second hole may still fill.
    expect(bench.only.text(0)).toBe('[gap 2]cdef');
    bench.send(CLIENT, SERVER, { seq: 7, flags: DATA, payload: 'gh' });
    expect(bench.only.text(0)).toBe('[gap 2]cdefghijklm');
    expect(bench.counters.get('capture_tcp_buffer_overflows_total')).toBe(1);
  });

  it('declares a gap when the peer acknowledged data beyond the hole', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'abc' });
    bench.send(CLIENT, SERVER, { seq: 10, flags: DATA, payload: 'jkl' });
    bench.send(SERVER, CLIENT, { seq: 1, ack: 7, flags: TCP_ACK });
    expect(bench.only.text(0)).toBe('abc');
    bench.send(SERVER, CLIENT, { seq: 1, ack: 13, flags: TCP_ACK });
    expect(bench.only.text(0)).toBe('abc[gap 6]jkl');
    bench.send(CLIENT, SERVER, { seq: 4, flags: DATA, payload: 'defghi' });
    expect(bench.only.text(0)).toBe('abc[gap 6]jkl');
  });

  it('declares a gap when data arrives after the peer already acknowledged past the hole', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(SERVER, CLIENT, { seq: 1, ack: 20, flags: TCP_ACK });
    bench.send(CLIENT, SERVER, { seq: 11, flags: DATA, payload: 'klmnopqrs' });
    expect(bench.only.text(0)).toBe('[gap 10]klmnopqrs');
  });

  it('follows sequence numbers across the 2^32 wraparound', () => {
    const bench = new TcpTestBench();
    const isn = 0xffff_fff8;
    handshake(bench, isn, 0xffff_ffff);
    bench.send(CLIENT, SERVER, { seq: isn + 1, flags: DATA, payload: 'abcd' });
    bench.send(CLIENT, SERVER, { seq: 3, flags: DATA, payload: 'klm' });
    bench.send(CLIENT, SERVER, { seq: isn + 5, flags: DATA, payload: 'efghij' });
    bench.send(CLIENT, SERVER, { seq: 0xffff_fffe, flags: DATA, payload: 'fghi' });
    bench.send(SERVER, CLIENT, { seq: 0, flags: DATA, payload: 'response' });
    bench.send(CLIENT, SERVER, { seq: 6, flags: TCP_FIN | TCP_ACK });
    expect(bench.only.events).toEqual(['data0:abcdefghijklm', 'data1:response', 'end0']);
    expect(bench.counters.get('capture_tcp_gaps_total')).toBe(0);
  });

  it('ignores keep-alive probes and duplicate SYNs', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'abc' });
    bench.send(CLIENT, SERVER, { seq: 3, flags: TCP_ACK, payload: '\0' });
    bench.send(CLIENT, SERVER, { seq: 3, flags: TCP_ACK });
    bench.send(CLIENT, SERVER, { seq: 0, flags: TCP_SYN });
    bench.send(SERVER, CLIENT, { seq: 0, ack: 1, flags: TCP_SYN | TCP_ACK });
    bench.send(CLIENT, SERVER, { seq: 4, flags: DATA, payload: 'def' });
    expect(bench.only.events).toEqual(['data0:abcdef']);
    expect(bench.counters.get('capture_tcp_retransmitted_bytes_total')).toBe(0);
    expect(bench.counters.get('capture_flows_created_total')).toBe(1);
  });

  it('delivers a zero-window probe byte once even when it is sent again with more data', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'a' });
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'a' });
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'abc' });
    expect(bench.only.text(0)).toBe('abc');
  });

  it('turns holes before a FIN into gaps and ends the direction', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'ab' });
    bench.send(CLIENT, SERVER, { seq: 6, flags: DATA, payload: 'fg' });
    bench.send(CLIENT, SERVER, { seq: 10, flags: TCP_FIN | TCP_ACK, payload: 'j' });
    expect(bench.only.events).toEqual(['data0:ab', 'gap0:3', 'data0:fg', 'gap0:2', 'data0:j', 'end0']);
    bench.send(CLIENT, SERVER, { seq: 3, flags: DATA, payload: 'cde' });
    expect(bench.only.text(0)).toBe('ab[gap 3]fg[gap 2]j');
  });

  it('declares the bytes a snap length cut off a gap at once, and counts them in the FIN position', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'ab', snapped: 3 });
    expect(bench.only.events).toEqual(['data0:ab', 'gap0:3']);
    // Out of order, the cut is a hole like any other; a segment with nothing captured still counts.
    bench.send(CLIENT, SERVER, { seq: 9, flags: DATA, payload: 'ij' });
    bench.send(CLIENT, SERVER, { seq: 6, flags: DATA, payload: '', snapped: 1 });
    bench.send(CLIENT, SERVER, { seq: 7, flags: DATA, payload: 'g', snapped: 1, tsUs: bench.nowUs + 1 });
    bench.send(CLIENT, SERVER, { seq: 11, flags: TCP_FIN | TCP_ACK, payload: 'k', snapped: 2 });
    expect(bench.only.text(0)).toBe('ab[gap 3][gap 1]g[gap 1]ijk[gap 2]');
    expect(bench.only.events.at(-1)).toBe('end0');
    // A retransmission of what was cut is trimmed as already past, whatever it holds.
    bench.send(SERVER, CLIENT, { seq: 1, flags: DATA, payload: 'xy', snapped: 10 });
    bench.send(SERVER, CLIENT, { seq: 1, flags: DATA, payload: 'xyz' });
    expect(bench.only.text(1)).toBe('xy[gap 10]');
  });

  it('carries data on SYN packets (TCP Fast Open) after the SYN sequence number', () => {
    const bench = new TcpTestBench();
    bench.send(CLIENT, SERVER, { seq: 50, flags: TCP_SYN, payload: 'early' });
    bench.send(SERVER, CLIENT, { seq: 90, ack: 56, flags: TCP_SYN | TCP_ACK });
    bench.send(CLIENT, SERVER, { seq: 56, ack: 91, flags: DATA, payload: ' data' });
    expect(bench.only.text(0)).toBe('early data');
  });
});
