import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../decode/tcpSegment';
import { CLIENT, SERVER, TcpTestBench, handshake } from './testSegments';
import type { Endpoint } from './streamConsumer';

const DATA = TCP_ACK | TCP_PSH;
const client = (port: number): Endpoint => ({ ip: CLIENT.ip, port });

describe('TcpReassembler flows', () => {
  it('closes on RST after delivering what it holds, holes as gaps', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'ab' });
    bench.send(CLIENT, SERVER, { seq: 5, flags: DATA, payload: 'ef' });
    bench.send(SERVER, CLIENT, { seq: 1, flags: TCP_RST | TCP_ACK });
    bench.send(SERVER, CLIENT, { seq: 1, flags: TCP_RST });
    expect(bench.only.events).toEqual(['data0:ab', 'gap0:2', 'data0:ef', 'close:rst']);
    expect(bench.only.closes).toBe(1);
    expect(bench.reassembler.openFlows).toBe(0);
    expect(bench.counters.get('capture_flows_closed_total{reason="rst"}')).toBe(1);
  });

  it('does not let a late FIN/ACK or ACK resurrect a closed connection', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 1, flags: TCP_FIN | TCP_ACK });
    bench.send(SERVER, CLIENT, { seq: 1, ack: 2, flags: TCP_FIN | TCP_ACK });
    expect(bench.only.events).toEqual(['end0', 'end1', 'close:fin']);
    bench.send(CLIENT, SERVER, { seq: 2, ack: 2, flags: TCP_ACK });
    bench.send(SERVER, CLIENT, { seq: 1, ack: 2, flags: TCP_FIN | TCP_ACK });
    bench.send(SERVER, CLIENT, { seq: 2, flags: TCP_RST });
    expect(bench.connections).toHaveLength(1);
    expect(bench.reassembler.openFlows).toBe(0);
    expect(bench.counters.get('capture_tcp_segments_ignored_total{reason="no_flow"}')).toBe(3);
  });

  it('expires idle connections when the clock is moved by segments it did not see', () => {
    const bench = new TcpTestBench({ flowIdleTimeoutSec: 10 });
    const t0 = 1_000_000_000;
    bench.send(client(1), SERVER, { seq: 0, flags: TCP_SYN, tsUs: t0 });
    bench.reassembler.advanceClock(t0 + 9_000_000);
    expect(bench.reassembler.openFlows).toBe(1);
    bench.reassembler.advanceClock(t0 + 10_500_000);
    expect(bench.connections.map((c) => c.events)).toEqual([['close:idle_timeout']]);
    expect(bench.reassembler.openFlows).toBe(0);
  });

  it('expires idle connections in capture time as later packets arrive', () => {
    const bench = new TcpTestBench({ flowIdleTimeoutSec: 10 });
    const t0 = 1_000_000_000;
    bench.send(client(1), SERVER, { seq: 0, flags: TCP_SYN, tsUs: t0 });
    bench.send(client(2), SERVER, { seq: 0, flags: TCP_SYN, tsUs: t0 + 5_000_000 });
    bench.send(client(3), SERVER, { seq: 0, flags: TCP_SYN, tsUs: t0 + 10_000_000 });
    expect(bench.reassembler.openFlows).toBe(3);
    bench.send(client(3), SERVER, { seq: 1, flags: DATA, payload: 'x', tsUs: t0 + 12_000_000 });
    expect(bench.connections.map((c) => c.events)).toEqual([['close:idle_timeout'], [], ['data0:x']]);
    bench.reassembler.expireIdle(t0 + 15_000_000);
    expect(bench.connections.map((c) => c.closes)).toEqual([1, 0, 0]);
    bench.reassembler.expireIdle(t0 + 15_000_001);
    expect(bench.connections.map((c) => c.closes)).toEqual([1, 1, 0]);
    bench.reassembler.expireIdle(t0 + 22_000_001);
    expect(bench.connections.map((c) => c.closes)).toEqual([1, 1, 1]);
    expect(bench.reassembler.openFlows).toBe(0);
    expect(bench.counters.get('capture_flows_closed_total{reason="idle_timeout"}')).toBe(3);
  });

  it('evicts the least recently active connection when the table is full', () => {
    const bench = new TcpTestBench({ maxFlows: 2 });
    bench.send(client(1), SERVER, { seq: 0, flags: TCP_SYN });
    bench.send(client(2), SERVER, { seq: 0, flags: TCP_SYN });
    bench.send(client(1), SERVER, { seq: 1, flags: DATA, payload: 'a' });
    bench.send(client(3), SERVER, { seq: 0, flags: TCP_SYN });
    expect(bench.connections.map((c) => c.events)).toEqual([['data0:a'], ['close:flow_evicted'], []]);
    expect(bench.reassembler.openFlows).toBe(2);
    expect(bench.counters.get('capture_flows_evicted_total')).toBe(1);
    expect(bench.counters.get('capture_flows_closed_total{reason="flow_evicted"}')).toBe(1);
  });

  it('closes every connection with the given reason, flushing holes', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0);
    bench.send(CLIENT, SERVER, { seq: 3, flags: DATA, payload: 'cd' });
    bench.send(client(2), SERVER, { seq: 9, flags: DATA, payload: 'midstream' });
    bench.reassembler.closeAll('capture_ended', bench.nowUs);
    expect(bench.connections.map((c) => c.events)).toEqual([
      ['gap0:2', 'data0:cd', 'close:capture_ended'],
      ['data0:midstream', 'close:capture_ended'],
    ]);
    expect(bench.reassembler.openFlows).toBe(0);
  });

  it('starts a new connection when a SYN reuses the endpoints with a new ISN', () => {
    const bench = new TcpTestBench();
    handshake(bench, 1000, 2000);
    bench.send(CLIENT, SERVER, { seq: 1001, flags: DATA, payload: 'first' });
    bench.send(CLIENT, SERVER, { seq: 1006, flags: TCP_FIN | TCP_ACK });
    handshake(bench, 900_000, 5000);
    bench.send(CLIENT, SERVER, { seq: 900_001, flags: DATA, payload: 'second' });
    const [first, second] = bench.connections;
    expect(first?.events).toEqual(['data0:first', 'end0', 'close:fin']);
    expect(second?.events).toEqual(['data0:second']);
    expect(second?.info.handshakeSeen).toBe(true);
    expect(first?.info.id).not.toBe(second?.info.id);
    expect(bench.counters.get('capture_flows_reused_total')).toBe(1);
  });

  it('starts a new connection when a SYN arrives on an open midstream connection', () => {
    const bench = new TcpTestBench();
    bench.send(CLIENT, SERVER, { seq: 3_000_000_000, flags: DATA, payload: 'old' });
    bench.send(CLIENT, SERVER, { seq: 77, flags: TCP_SYN });
    bench.send(CLIENT, SERVER, { seq: 78, flags: DATA, payload: 'new' });
    expect(bench.connections.map((c) => c.events)).toEqual([['data0:old', 'close:rst'], ['data0:new']]);
  });

  it('treats a SYN captured just after its own connection\'s first data as a late copy', () => {
    const bench = new TcpTestBench();
    bench.send(CLIENT, SERVER, { seq: 101, flags: DATA, payload: 'abc' });
    bench.send(CLIENT, SERVER, { seq: 100, flags: TCP_SYN });
    bench.send(CLIENT, SERVER, { seq: 104, flags: DATA, payload: 'def' });
    expect(bench.only.events).toEqual(['data0:abcdef']);
  });

  it('starts a new connection when a SYN/ACK brings a new server ISN', () => {
    const bench = new TcpTestBench();
    handshake(bench, 10, 20);
    bench.send(SERVER, CLIENT, { seq: 21, flags: DATA, payload: 'old' });
    bench.send(SERVER, CLIENT, { seq: 5_000, ack: 501, flags: TCP_SYN | TCP_ACK });
    bench.send(CLIENT, SERVER, { seq: 501, flags: DATA, payload: 'new' });
    expect(bench.connections.map((c) => c.events)).toEqual([['data1:old', 'close:rst'], ['data0:new']]);
    expect(bench.connections[1]?.info).toMatchObject({ a: CLIENT, b: SERVER, handshakeSeen: true });
  });

  it('keeps the same 4-tuple in different VLANs and VNIs apart', () => {
    const bench = new TcpTestBench();
    handshake(bench, 0, 0, { vlan: [100] });
    handshake(bench, 0, 0, { vlan: [200] });
    handshake(bench, 0, 0, { vlan: [100, 7] });
    handshake(bench, 0, 0, { vni: 5001, tunnel: 'vxlan' });
    handshake(bench, 0, 0, { vni: 5001, tunnel: 'geneve' });
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'v200', vlan: [200] });
    bench.send(SERVER, CLIENT, { seq: 1, flags: DATA, payload: 'n5001', vni: 5001, tunnel: 'vxlan' });
    expect(bench.connections.map((c) => c.events)).toEqual([[], ['data0:v200'], [], ['data1:n5001'], []]);
    expect(bench.connections.map((c) => [c.info.vlan, c.info.vni])).toEqual([
      [[100], undefined],
      [[200], undefined],
      [[100, 7], undefined],
      [undefined, 5001],
      [undefined, 5001],
    ]);
    expect(new Set(bench.connections.map((c) => c.info.id)).size).toBe(5);
  });

  it('routes consecutive segments that differ only in a port, VLAN tag, VNI or tunnel to their own flows', () => {
    const bench = new TcpTestBench();
    const seg = (payload: string, extra: object = {}): { seq: number; flags: number; payload: string } => ({ seq: 1, flags: DATA, payload, ...extra });
    bench.send(CLIENT, SERVER, seg('a'));
    bench.send(client(CLIENT.port + 1), SERVER, seg('b'));
    bench.send(SERVER, CLIENT, seg('c'));
    bench.send(CLIENT, SERVER, seg('d', { vlan: [100] }));
    // Equal tags in another array are the same VLAN.
    bench.send(SERVER, CLIENT, seg('e', { vlan: [100] }));
    bench.send(CLIENT, SERVER, seg('f', { vlan: [100, 7] }));
    bench.send(CLIENT, SERVER, seg('g', { vni: 9, tunnel: 'vxlan' }));
    bench.send(CLIENT, SERVER, seg('h', { vni: 9, tunnel: 'geneve' }));
    bench.send(CLIENT, SERVER, seg('i', { vni: 10, tunnel: 'geneve' }));
    expect(bench.connections.map((c) => c.events)).toEqual([
      ['data0:a', 'data1:c'],
      ['data0:b'],
      ['data0:d', 'data1:e'],
      ['data0:f'],
      ['data0:g'],
      ['data0:h'],
      ['data0:i'],
    ]);
    expect(bench.reassembler.openFlows).toBe(7);
  });

  it('does not route a segment to the connection the previous segment closed', () => {
    const bench = new TcpTestBench();
    bench.send(CLIENT, SERVER, { seq: 1, flags: DATA, payload: 'a' });
    bench.send(CLIENT, SERVER, { seq: 2, flags: TCP_RST });
    bench.send(CLIENT, SERVER, { seq: 50, flags: DATA, payload: 'b' });
    expect(bench.connections.map((c) => c.events)).toEqual([['data0:a', 'close:rst'], ['data0:b']]);
    expect(bench.reassembler.openFlows).toBe(1);
  });

  it('gives deterministic connection ids built from start time, endpoints, VLAN and VNI', () => {
    const run = (): string[] => {
      const bench = new TcpTestBench();
      bench.send(CLIENT, SERVER, { seq: 0, flags: TCP_SYN, tsUs: 1_700_000_000_123_456.75 });
      bench.send(SERVER, CLIENT, { seq: 0, flags: DATA, payload: 'x', vlan: [10, 20], vni: 42, tunnel: 'vxlan' });
      const v6a = { ip: 'fd00::1', port: 443 };
      const v6b = { ip: 'fd00::2', port: 50000 };
      bench.send(v6b, v6a, { seq: 5, flags: TCP_SYN | TCP_ACK, ack: 9, tsUs: 1_700_000_001_000_000 });
      return bench.connections.map((c) => c.info.id);
    };
    const ids = run();
    expect(ids).toEqual([
      '1700000000123456-10.0.0.1:51000-10.0.0.2:80',
      '1700000000124456-10.0.0.2:80-10.0.0.1:51000-vlan10.20-vxlan42',
      '1700000001000000-[fd00::1]:443-[fd00::2]:50000',
    ]);
    expect(run()).toEqual(ids);
  });
});
