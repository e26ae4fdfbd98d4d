import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../decode/tcpSegment';
import { CLOSED_FLOW_MEMORY_US } from './closedFlows';
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
    // Separate connections draw their own initial sequence numbers (equal ones would be copies of one).
    const bench = new TcpTestBench();
    handshake(bench, 0, 0, { vlan: [100] });
    handshake(bench, 1e8, 1e8, { vlan: [200] });
    handshake(bench, 2e8, 2e8, { vlan: [100, 7] });
    handshake(bench, 3e8, 3e8, { vni: 5001, tunnel: 'vxlan' });
    handshake(bench, 4e8, 4e8, { vni: 5001, tunnel: 'geneve' });
    bench.send(CLIENT, SERVER, { seq: 1e8 + 1, flags: DATA, payload: 'v200', vlan: [200] });
    bench.send(SERVER, CLIENT, { seq: 3e8 + 1, flags: DATA, payload: 'n5001', vni: 5001, tunnel: 'vxlan' });
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
    // Each connection at its own place in sequence space, as separate connections are.
    const seg = (payload: string, seq: number, extra: object = {}): { seq: number; flags: number; payload: string } => ({ seq, flags: DATA, payload, ...extra });
    bench.send(CLIENT, SERVER, seg('a', 1));
    bench.send(client(CLIENT.port + 1), SERVER, seg('b', 1));
    bench.send(SERVER, CLIENT, seg('c', 1));
    bench.send(CLIENT, SERVER, seg('d', 1e8, { vlan: [100] }));
    // Equal tags in another array are the same VLAN.
    bench.send(SERVER, CLIENT, seg('e', 1e8, { vlan: [100] }));
    bench.send(CLIENT, SERVER, seg('f', 2e8, { vlan: [100, 7] }));
    bench.send(CLIENT, SERVER, seg('g', 3e8, { vni: 9, tunnel: 'vxlan' }));
    bench.send(CLIENT, SERVER, seg('h', 4e8, { vni: 9, tunnel: 'geneve' }));
    bench.send(CLIENT, SERVER, seg('i', 5e8, { vni: 10, tunnel: 'geneve' }));
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
    // Far from where the reset connection stood: a new one (near it, it would be a late segment of the old).
    bench.send(CLIENT, SERVER, { seq: 3_000_000_000, flags: DATA, payload: 'b' });
    expect(bench.connections.map((c) => c.events)).toEqual([['data0:a', 'close:rst'], ['data0:b']]);
    expect(bench.reassembler.openFlows).toBe(1);
  });

  it('merges copies seen under other VLAN tags into the connection seen first, counted, and keeps another VNI apart', () => {
    const bench = new TcpTestBench();
    // A SPAN session on both VLANs a router joins: every packet twice, the copy retagged.
    for (const [isn, vlan] of [[100, [10]], [100, [20]]] as const) handshake(bench, isn, 900, { vlan: [...vlan] });
    bench.send(CLIENT, SERVER, { seq: 101, ack: 901, flags: DATA, payload: 'GET', vlan: [10] });
    bench.send(CLIENT, SERVER, { seq: 101, ack: 901, flags: DATA, payload: 'GET', vlan: [20] });
    // Untagged on another port.
    bench.send(SERVER, CLIENT, { seq: 901, ack: 104, flags: DATA, payload: 'OK' });
    expect(bench.only.events).toEqual(['data0:GET', 'data1:OK']);
    expect(bench.only.info.vlan).toEqual([10]);
    expect(bench.counters.get('capture_tcp_copies_merged_total')).toBe(5);
    // Same endpoints in another VLAN, elsewhere in sequence space: another connection.
    bench.send(CLIENT, SERVER, { seq: 2e9, flags: TCP_SYN, vlan: [30] });
    bench.send(CLIENT, SERVER, { seq: 101, ack: 5e8, flags: DATA, payload: 'x', vlan: [40] });
    expect(bench.connections.map((c) => c.info.vlan)).toEqual([[10], [30], [40]]);
    // Another VNI is another virtual network (tenants reuse addresses), even at the same place in sequence space.
    bench.send(SERVER, CLIENT, { seq: 901, ack: 104, flags: DATA, payload: 'OK', vni: 7, tunnel: 'vxlan' });
    expect(bench.connections.map((c) => c.info.vni)).toEqual([undefined, undefined, undefined, 7]);
    expect(bench.counters.get('capture_tcp_copies_merged_total')).toBe(5);
  });

  it('ignores data of a connection that ended lately (in flight at a RST, a late copy after FIN), counted', () => {
    const bench = new TcpTestBench();
    handshake(bench, 100, 900);
    bench.send(SERVER, CLIENT, { seq: 901, ack: 101, flags: DATA, payload: 'part' });
    bench.send(CLIENT, SERVER, { seq: 101, flags: TCP_RST });
    bench.send(SERVER, CLIENT, { seq: 905, ack: 101, flags: DATA, payload: 'rest' });
    bench.send(CLIENT, SERVER, { seq: 100, flags: TCP_SYN, tsUs: bench.nowUs + 1 });
    expect(bench.connections).toHaveLength(1);
    expect(bench.counters.get('capture_tcp_segments_ignored_total{reason="closed_flow"}')).toBe(2);
    // A new SYN on the endpoints is a new connection, however close its ISN to the old numbers.
    handshake(bench, 300, 1000);
    bench.send(CLIENT, SERVER, { seq: 301, ack: 1001, flags: DATA, payload: 'again' });
    bench.send(CLIENT, SERVER, { seq: 306, ack: 1001, flags: TCP_FIN | TCP_ACK });
    bench.send(SERVER, CLIENT, { seq: 1001, ack: 307, flags: TCP_FIN | TCP_ACK });
    expect(bench.connections.map((c) => c.events)).toEqual([['data1:part', 'close:rst'], ['data0:again', 'end0', 'end1', 'close:fin']]);
    bench.send(CLIENT, SERVER, { seq: 301, ack: 1001, flags: DATA, payload: 'again' });
    expect(bench.connections).toHaveLength(2);
    // Forgotten after CLOSED_FLOW_MEMORY_US: the same bytes then open a (midstream) connection.
    bench.send(CLIENT, SERVER, { seq: 301, ack: 1001, flags: DATA, payload: 'again', tsUs: bench.nowUs + CLOSED_FLOW_MEMORY_US + 1 });
    expect(bench.connections).toHaveLength(3);
    expect(bench.counters.get('capture_tcp_segments_ignored_total{reason="closed_flow"}')).toBe(3);
  });

  it('ignores data exactly 2^31 from where its stream stands, counted, and still closes (a corrupt or forged number)', () => {
    const bench = new TcpTestBench();
    handshake(bench, 100, 900);
    bench.send(CLIENT, SERVER, { seq: 101 + 2 ** 31, ack: 901, flags: DATA, payload: 'far' });
    bench.send(CLIENT, SERVER, { seq: 101, ack: 901, flags: DATA, payload: 'GET' });
    bench.send(SERVER, CLIENT, { seq: 901, ack: (104 + 2 ** 31) >>> 0, flags: DATA, payload: 'OK' });
    bench.reassembler.closeAll('capture_ended', bench.nowUs);
    expect(bench.only.events).toEqual(['data0:GET', 'data1:OK', 'close:capture_ended']);
    expect(bench.counters.get('capture_tcp_segments_ignored_total{reason="out_of_window"}')).toBe(1);
  });

  it('remembers at most maxFlows closed connections', () => {
    const bench = new TcpTestBench({ maxFlows: 2 });
    for (const port of [1, 2, 3]) {
      bench.send(client(port), SERVER, { seq: 10, flags: DATA, payload: 'a' });
      bench.send(client(port), SERVER, { seq: 11, flags: TCP_RST });
    }
    for (const port of [1, 2, 3]) bench.send(client(port), SERVER, { seq: 11, flags: DATA, payload: 'b' });
    expect(bench.connections.map((c) => c.info.a.port)).toEqual([1, 2, 3, 1]);
    expect(bench.counters.get('capture_tcp_closed_flows_forgotten_total')).toBe(1);
  });

  it('keeps a closed connection to its own VNI: the same endpoints in another virtual network are new', () => {
    const bench = new TcpTestBench();
    const tunnel = 'vxlan' as const;
    bench.send(CLIENT, SERVER, { seq: 10, flags: DATA, payload: 'a', vni: 7, tunnel });
    bench.send(CLIENT, SERVER, { seq: 11, flags: TCP_RST, vni: 7, tunnel });
    // Another tenant's connection on the same addresses, at the place the closed one stood.
    bench.send(CLIENT, SERVER, { seq: 11, flags: DATA, payload: 'b', vni: 8, tunnel });
    // The closed connection's own late segment, still in its VNI.
    bench.send(CLIENT, SERVER, { seq: 11, flags: DATA, payload: 'c', vni: 7, tunnel });
    expect(bench.connections.map((c) => [c.info.vni, c.events[0]])).toEqual([
      [7, 'data0:a'],
      [8, 'data0:b'],
    ]);
    expect(bench.counters.get('capture_tcp_segments_ignored_total{reason="closed_flow"}')).toBe(1);
  });

  it('gives deterministic connection ids built from start time, endpoints, VLAN and VNI', () => {
    const run = (): string[] => {
      const bench = new TcpTestBench();
      bench.send(CLIENT, SERVER, { seq: 0, flags: TCP_SYN, tsUs: 1_700_000_000_123_456.75 });
      bench.send(SERVER, CLIENT, { seq: 0, ack: 2e9, flags: DATA, payload: 'x', vlan: [10, 20], vni: 42, tunnel: 'vxlan' });
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
