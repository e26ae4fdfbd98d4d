import { blankTcpSegment } from '../decode/tcpSegment';
import type { TcpSegment } from '../decode/tcpSegment';
import { shardOf } from './shardOf';

function segment(over: Partial<TcpSegment>): TcpSegment {
  return { ...blankTcpSegment(), tsUs: 1, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 51000, dstPort: 80, ...over };
}

describe('shardOf', () => {
  it('puts both directions of a connection in the same shard', () => {
    for (let port = 40000; port < 40200; port++) {
      const there = segment({ srcPort: port });
      const back = segment({ srcIp: there.dstIp, dstIp: there.srcIp, srcPort: there.dstPort, dstPort: port });
      for (const count of [2, 3, 4]) expect(shardOf(back, count)).toBe(shardOf(there, count));
    }
  });

  it('spreads connections evenly, and keeps copies under other VLAN tags (and both VNIs of an address pair) in the same shard', () => {
    const counts = [0, 0, 0];
    for (let port = 1024; port < 4024; port++) counts[shardOf(segment({ srcPort: port }), 3)]! += 1;
    for (const n of counts) expect(n).toBeGreaterThan(850);
    const moved = (over: Partial<TcpSegment>): number => {
      let n = 0;
      for (let port = 1024; port < 2024; port++) if (shardOf(segment({ srcPort: port, ...over }), 2) !== shardOf(segment({ srcPort: port }), 2)) n += 1;
      return n;
    };
    // A SPAN port's copies of one connection differ only in their tags: the reassembler merges them, so they must meet.
    expect(moved({ vlan: [100] })).toBe(0);
    expect(moved({ vni: 5000, tunnel: 'vxlan' })).toBe(0);
    expect(shardOf(segment({}), 1)).toBe(0);
  });
});
