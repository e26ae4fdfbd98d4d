// publishEncoded on the embedded bus: what a producer encoded is what consumers get, and bytes
// that are not a record of the topic are counted and left out, as a Kafka consumer does.
import { encode } from '@msgpack/msgpack';
import { eventually, keyedRecords, testTopic } from './busSuite';
import type { TestRecord } from './busSuite';
import type { Keyed } from './bus';
import { MemoryBus } from './memoryBus';

describe('MemoryBus.publishEncoded', () => {
  it('gives consumers the records publish gives, in order per key', async () => {
    const bus = new MemoryBus({ partitions: 3 });
    const topic = testTopic('encoded');
    const seen: Keyed<TestRecord>[] = [];
    await bus.consume(topic, { group: 'g' }, async (b) => void seen.push(...b.records));
    const records = keyedRecords(5, 20);
    await bus.publishEncoded(topic, records.map((r) => ({ key: r.key, bytes: topic.codec.encode(r.value) })));
    await eventually(() => seen.length === records.length, 'every record');
    for (let k = 0; k < 5; k++) {
      const key = `actor-${k}`;
      expect(seen.filter((r) => r.key === key)).toEqual(records.filter((r) => r.key === key));
    }
    expect(bus.counters.get('bus_records_published_total{topic="encoded"}')).toBe(records.length);
    await bus.close();
  });

  it('counts bytes that are not a record of the topic by reason and publishes the rest', async () => {
    const bus = new MemoryBus();
    const topic = testTopic('checked');
    const seen: TestRecord[] = [];
    await bus.consume(topic, { group: 'g' }, async (b) => void seen.push(...b.records.map((r) => r.value)));
    await bus.publishEncoded(topic, [
      { key: 'a', bytes: Buffer.from('{"not":"msgpack"') },
      { key: 'a', bytes: encode([99, 'test', { key: 'a', n: 1 }]) },
      { key: 'a', bytes: encode([1, 'test', { key: 'a', n: 'one' }]) },
      { key: 'a', bytes: topic.codec.encode({ key: 'a', n: 2 }) },
    ]);
    await eventually(() => seen.length === 1, 'the valid record');
    expect(seen).toEqual([{ key: 'a', n: 2 }]);
    const rejected = (reason: string): number => bus.counters.get(`bus_records_rejected_total{topic="checked",reason="${reason}"}`);
    expect({ version: rejected('version'), shape: rejected('shape'), notMsgpack: rejected('msgpack') + rejected('envelope') }).toEqual({ version: 1, shape: 1, notMsgpack: 1 });
    await bus.close();
  });
});
