import { describeBus, eventually, keyedRecords, testTopic } from './busSuite';
import { MemoryBus } from './memoryBus';

let topics = 0;
describeBus('MemoryBus', async () => {
  const bus = new MemoryBus({ partitions: 3, capacity: 64, maxBatch: 16 });
  return { bus, topic: async () => testTopic(`t${++topics}`), close: () => bus.close() };
});

describe('MemoryBus', () => {
  it('makes a publisher wait while a group is `capacity` records behind, then lets it finish', async () => {
    const bus = new MemoryBus({ partitions: 1, capacity: 10, maxBatch: 5 });
    const topic = testTopic('bp');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let got = 0;
    await bus.consume(topic, { group: 'slow' }, async (batch) => {
      await gate;
      got += batch.records.length;
    });
    let published = false;
    const publishing = bus.publish(topic, keyedRecords(1, 40)).then(() => (published = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(published).toBe(false);
    expect(bus.counters.get('bus_publish_waits_total{topic="bp"}')).toBeGreaterThan(0);
    release();
    await publishing;
    await eventually(() => got === 40, 'the slow group to catch up');
    await bus.close();
  });

  it('counts records published to a topic nobody reads as dropped', async () => {
    const bus = new MemoryBus();
    await bus.publish(testTopic('nobody'), keyedRecords(2, 3));
    expect(bus.counters.get('bus_records_dropped_total{topic="nobody",reason="no_consumer"}')).toBe(6);
  });

  it('fails the subscription after the configured attempts rather than skipping records', async () => {
    const bus = new MemoryBus({ handlerAttempts: 2 });
    const topic = testTopic('fail');
    const sub = await bus.consume(topic, { group: 'g' }, async () => {
      throw new Error('always');
    });
    await bus.publish(topic, keyedRecords(1, 1));
    await expect(sub.done).rejects.toThrow('always');
    expect(bus.counters.get('bus_handler_errors_total{topic="fail"}')).toBe(2);
  });
});
