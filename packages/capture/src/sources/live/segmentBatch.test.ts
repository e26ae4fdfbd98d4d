import { blankTcpSegment } from '../../decode/tcpSegment';
import type { TcpSegment } from '../../decode/tcpSegment';
import { readSegmentBatch, SegmentBatchWriter } from './segmentBatch';

const segment = (over: Partial<TcpSegment>): TcpSegment => ({ ...blankTcpSegment(), tsUs: 1_700_000_000_123_456.5, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 51000, dstPort: 80, ...over });

describe('segment batches', () => {
  it('carry every field of a segment across, in order', () => {
    const sent = [
      segment({ seq: 0xffffffff, ack: 1, flags: 0x18, payload: Buffer.from('GET / HTTP/1.1\r\n\r\n') }),
      segment({ ipVersion: 6, srcIp: '2001:db8::1', dstIp: 'fe80::2', vlan: [100, 4094], vni: 16_777_215, tunnel: 'geneve', payload: Buffer.alloc(0) }),
      segment({ vni: 0, tunnel: 'vxlan', payload: Buffer.alloc(70_000, 7) }),
      segment({ payload: Buffer.from('GET /cut'), snappedBytes: 1400 }),
    ];
    const writer = new SegmentBatchWriter();
    for (const s of sent) writer.add(s);
    expect(writer.segments).toBe(4);
    const batch = writer.take();
    expect(writer.segments).toBe(0);
    const got: TcpSegment[] = [];
    readSegmentBatch(batch.buffer, batch.bytes, (s) => got.push({ ...s, vlan: s.vlan?.slice(), payload: Buffer.from(s.payload) }));
    expect(got).toEqual(sent);
  });

  it('start empty again after clear() and take()', () => {
    const writer = new SegmentBatchWriter();
    writer.add(segment({ payload: Buffer.from('x') }));
    writer.clear();
    expect(writer.bytes).toBe(0);
    const batch = writer.take();
    let n = 0;
    readSegmentBatch(batch.buffer, batch.bytes, () => (n += 1));
    expect(n).toBe(0);
  });
});
