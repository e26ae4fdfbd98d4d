import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../decode/tcpSegment';
import type { CaptureConfig } from '../captureConfig';
import { CLIENT, SERVER, TcpTestBench } from './testSegments';
import type { Endpoint } from './streamConsumer';

const DATA = TCP_ACK | TCP_PSH;
const BUDGET_GAPS = 'capture_tcp_budget_gaps_total';
const client = (port: number): Endpoint => ({ ip: CLIENT.ip, port });

/** Opens a connection from client(port) with ISN 0, so its data starts at sequence number 1. */
function open(bench: TcpTestBench, port: number): void {
  bench.send(client(port), SERVER, { seq: 0, flags: TCP_SYN });
}

describe('TcpReassembler out-of-order budget shared by all connections', () => {
  it('never holds more than the budget when many connections each leave a hole and send behind it', () => {
    const budget = 1000;
    const bench = new TcpTestBench({ tcpBufferedTotalBytes: budget });
    const connections = 200;
    const segments = 20;
    const expected: string[] = [];
    for (let c = 0; c < connections; c += 1) {
      open(bench, 10_000 + c);
      expected.push('[gap 10]');
    }
    for (let i = 0; i < segments; i += 1) {
      for (let c = 0; c < connections; c += 1) {
        // Bytes 1..10 never arrive; every segment of 10 bytes lands behind that hole.
        const payload = `c${String(c).padStart(3, '0')}-s${String(i).padStart(2, '0')}.\n`;
        bench.send(client(10_000 + c), SERVER, { seq: 11 + i * 10, flags: DATA, payload });
        expected[c] += payload;
        expect(bench.reassembler.bufferedBytes).toBeLessThanOrEqual(budget);
      }
    }
    expect(bench.counters.get(BUDGET_GAPS)).toBeGreaterThan(0);
    bench.reassembler.closeAll('capture_ended', bench.nowUs);
    expect(bench.reassembler.bufferedBytes).toBe(0);
    // Whether the hole was given up for the budget or at close, each stream is one gap then every byte.
    expect(bench.connections.map((conn) => conn.text(0))).toEqual(expected);
    expect(bench.counters.get('capture_tcp_gaps_total')).toBe(connections);
  });

  it('gives up the hole of the direction that has held data longest, not the one holding most', () => {
    const bench = new TcpTestBench({ tcpBufferedTotalBytes: 10 });
    open(bench, 1);
    open(bench, 2);
    open(bench, 3);
    bench.send(client(1), SERVER, { seq: 3, flags: DATA, payload: 'cd' });
    bench.send(client(2), SERVER, { seq: 5, flags: DATA, payload: 'efghij' });
    expect(bench.reassembler.bufferedBytes).toBe(8);
    bench.send(client(3), SERVER, { seq: 2, flags: DATA, payload: 'bcd' });
    const [first, second, third] = bench.connections;
    expect(first?.events).toEqual(['gap0:2', 'data0:cd']);
    expect(second?.events).toEqual([]);
    expect(third?.events).toEqual([]);
    expect(bench.reassembler.bufferedBytes).toBe(9);
    expect(bench.counters.get(BUDGET_GAPS)).toBe(1);
    expect(bench.counters.get('capture_tcp_gaps_total')).toBe(1);
    expect(bench.counters.get('capture_tcp_gap_bytes_total')).toBe(2);
    // The connection goes on in order after the gap.
    bench.send(client(1), SERVER, { seq: 5, flags: DATA, payload: 'ef' });
    expect(first?.text(0)).toBe('[gap 2]cdef');
    // Filling the other holes delivers what they held; nothing was lost there.
    bench.send(client(2), SERVER, { seq: 1, flags: DATA, payload: 'abcd' });
    bench.send(client(3), SERVER, { seq: 1, flags: DATA, payload: 'a' });
    expect(second?.text(0)).toBe('abcdefghij');
    expect(third?.text(0)).toBe('abcd');
    expect(bench.reassembler.bufferedBytes).toBe(0);
  });

  it('gives up only as many holes as needed, the victim keeping data behind a later hole', () => {
    const bench = new TcpTestBench({ tcpBufferedTotalBytes: 6 });
    open(bench, 1);
    open(bench, 2);
    bench.send(client(1), SERVER, { seq: 3, flags: DATA, payload: 'cd' });
    bench.send(client(1), SERVER, { seq: 7, flags: DATA, payload: 'gh' });
    bench.send(client(2), SERVER, { seq: 2, flags: DATA, payload: 'XYZ' });
    const [first, second] = bench.connections;
    expect(first?.events).toEqual(['gap0:2', 'data0:cd']);
    expect(second?.events).toEqual([]);
    expect(bench.reassembler.bufferedBytes).toBe(5);
    bench.send(client(1), SERVER, { seq: 5, flags: DATA, payload: 'ef' });
    expect(first?.text(0)).toBe('[gap 2]cdefgh');
    expect(bench.reassembler.bufferedBytes).toBe(3);
  });

  it('gives up the hole of the segment that alone cannot fit, leaving other connections alone', () => {
    const bench = new TcpTestBench({ tcpBufferedTotalBytes: 8 });
    open(bench, 1);
    open(bench, 2);
    bench.send(client(1), SERVER, { seq: 3, flags: DATA, payload: 'cdef' });
    bench.send(client(2), SERVER, { seq: 4, flags: DATA, payload: 'defghijklmno' });
    const [first, second] = bench.connections;
    expect(first?.events).toEqual([]);
    expect(second?.events).toEqual(['gap0:3', 'data0:defghijklmno']);
    expect(bench.reassembler.bufferedBytes).toBe(4);
    expect(bench.counters.get(BUDGET_GAPS)).toBe(1);
  });

  it('charges only the bytes a retransmission adds to what is held', () => {
    const bench = new TcpTestBench({ tcpBufferedTotalBytes: 6 });
    open(bench, 1);
    bench.send(client(1), SERVER, { seq: 3, flags: DATA, payload: 'cdef' });
    bench.send(client(1), SERVER, { seq: 3, flags: DATA, payload: 'cdefgh' });
    expect(bench.reassembler.bufferedBytes).toBe(6);
    expect(bench.counters.get(BUDGET_GAPS)).toBe(0);
    bench.send(client(1), SERVER, { seq: 1, flags: DATA, payload: 'ab' });
    expect(bench.only.text(0)).toBe('abcdefgh');
    expect(bench.reassembler.bufferedBytes).toBe(0);
  });

  it('gives the bytes back when a connection ends by FIN, RST, eviction, idle timeout, port reuse or closeAll', () => {
    const bench = new TcpTestBench({ maxFlows: 2, flowIdleTimeoutSec: 10 });
    const hold = (port: number): void => bench.send(client(port), SERVER, { seq: 5, flags: DATA, payload: 'efgh' });

    open(bench, 1);
    hold(1);
    bench.send(SERVER, client(1), { seq: 0, ack: 1, flags: TCP_SYN | TCP_ACK });
    bench.send(SERVER, client(1), { seq: 1, ack: 1, flags: TCP_FIN | TCP_ACK });
    expect(bench.reassembler.bufferedBytes).toBe(4);
    bench.send(client(1), SERVER, { seq: 9, ack: 2, flags: TCP_FIN | TCP_ACK });
    expect(bench.reassembler.bufferedBytes).toBe(0);

    open(bench, 2);
    hold(2);
    bench.send(SERVER, client(2), { seq: 0, flags: TCP_RST });
    expect(bench.reassembler.bufferedBytes).toBe(0);

    open(bench, 3);
    hold(3);
    open(bench, 4);
    hold(4);
    expect(bench.reassembler.bufferedBytes).toBe(8);
    open(bench, 5);
    expect(bench.counters.get('capture_flows_evicted_total')).toBe(1);
    expect(bench.reassembler.bufferedBytes).toBe(4);

    // Port reuse: a SYN with another initial sequence number replaces connection 4.
    bench.send(client(4), SERVER, { seq: 1_000_000, flags: TCP_SYN });
    expect(bench.counters.get('capture_flows_reused_total')).toBe(1);
    expect(bench.reassembler.bufferedBytes).toBe(0);

    hold(5);
    bench.send(client(6), SERVER, { seq: 0, flags: TCP_SYN, tsUs: bench.nowUs + 60_000_000 });
    expect(bench.reassembler.bufferedBytes).toBe(0);

    hold(6);
    bench.send(client(7), SERVER, { seq: 10, flags: DATA, payload: 'midstream' });
    bench.send(client(7), SERVER, { seq: 30, flags: DATA, payload: 'ahead' });
    expect(bench.reassembler.bufferedBytes).toBe(9);
    bench.reassembler.closeAll('capture_ended', bench.nowUs);
    expect(bench.reassembler.bufferedBytes).toBe(0);
    expect(bench.counters.get(BUDGET_GAPS)).toBe(0);
  });

  it('changes nothing while the budget is not reached', () => {
    const run = (config: Partial<CaptureConfig>): string[][] => {
      const bench = new TcpTestBench(config);
      for (const port of [1, 2, 3]) open(bench, port);
      for (const port of [1, 2, 3]) bench.send(client(port), SERVER, { seq: 6, flags: DATA, payload: `f${port}` });
      for (const port of [1, 2, 3]) bench.send(client(port), SERVER, { seq: 3, flags: DATA, payload: `cde${port}` });
      bench.send(client(2), SERVER, { seq: 1, flags: DATA, payload: 'ab' });
      bench.reassembler.closeAll('capture_ended', bench.nowUs);
      expect(bench.counters.get(BUDGET_GAPS)).toBe(0);
      return bench.connections.map((conn) => conn.events);
    };
    // Peak held: 5 bytes in each of the three connections.
    expect(run({ tcpBufferedTotalBytes: 15 })).toEqual(run({}));
  });
});
