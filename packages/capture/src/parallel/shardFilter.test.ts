import { blankTcpSegment } from '../decode/tcpSegment';
import type { TcpSegment } from '../decode/tcpSegment';
import { ShardFilter, shardOf } from './shardFilter';

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

describe('ShardFilter', () => {
  it('passes on only its shard, and moves the sink clock on the others', () => {
    const passed: number[] = [];
    const clock: number[] = [];
    const filter = new ShardFilter({ index: 0, count: 2 }, { onSegment: (s) => passed.push(s.srcPort), advanceClock: (t) => clock.push(t) });
    const ports = [...Array(40).keys()].map((i) => 50000 + i);
    ports.forEach((port, i) => filter.onSegment(segment({ srcPort: port, tsUs: 1 + i * 100_000 })));
    const mine = ports.filter((port) => shardOf(segment({ srcPort: port }), 2) === 0);
    expect(passed).toEqual(mine);
    expect(clock).toEqual(ports.flatMap((port, i) => (mine.includes(port) ? [] : [1 + i * 100_000])));
    expect(() => new ShardFilter({ index: 2, count: 2 }, { onSegment: () => undefined, advanceClock: () => undefined })).toThrow(RangeError);
  });
});
