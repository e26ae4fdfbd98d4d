// KafkaBus against librdkafka's mock cluster, a real Kafka protocol peer on 127.0.0.1.
import { pino } from 'pino';
import { startKafkaMock } from '../../../../scripts/kafkaMock/kafkaMock';
import type { KafkaMock } from '../../../../scripts/kafkaMock/kafkaMock';
import { describeBus, eventually, keyedRecords, testTopic } from '../busSuite';
import type { TestRecord } from '../busSuite';
import { KafkaBus } from './kafkaBus';

const logger = pino({ level: 'silent' });
let mock: KafkaMock;
let topics = 0;

// The mock needs short group sessions (see the issue: 4-6 s) or rebalances stall the tests.
const fastGroups = { sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, retryInitialMs: 100, retryMaxMs: 1000, fetchMaxWaitMs: 200 };

beforeAll(async () => {
  mock = await startKafkaMock();
});
afterAll(async () => {
  await mock.stop();
});

async function newTopic(partitions: number) {
  const name = `test.${process.pid}.${++topics}`;
  await mock.createTopic(name, partitions);
  return testTopic(name);
}

describeBus(
  'KafkaBus',
  async () => {
    const bus = new KafkaBus({ brokers: mock.brokers, ...fastGroups }, logger);
    return { bus, topic: newTopic, close: () => bus.close() };
  },
  90_000,
);

describe('KafkaBus', () => {
  it('rejects records of another version or shape with a count, and goes on with the rest', async () => {
    const topic = await newTopic(1);
    const bus = new KafkaBus({ brokers: mock.brokers, ...fastGroups }, logger);
    const seen: TestRecord[] = [];
    await bus.consume(topic, { group: 'g', fromBeginning: true }, async (b) => void seen.push(...b.records.map((r) => r.value)));
    const raw = bus.client.producer();
    await raw.connect();
    const { encode } = await import('@msgpack/msgpack');
    await raw.send({
      topic: topic.name,
      messages: [
        { key: 'a', value: Buffer.from(encode([99, 'test', { key: 'a', n: 1 }])) },
        { key: 'a', value: Buffer.from(encode([1, 'test', { key: 'a', n: 'one' }])) },
        { key: 'a', value: Buffer.from('{"not":"msgpack"') },
      ],
    });
    await raw.disconnect();
    await bus.publish(topic, [{ key: 'a', value: { key: 'a', n: 2 } }]);
    await eventually(() => seen.length === 1, 'the valid record');
    expect(seen).toEqual([{ key: 'a', n: 2 }]);
    const c = bus.counters.snapshot();
    const rejected = (reason: string) => c[`bus_records_rejected_total{topic="${topic.name}",reason="${reason}"}`] ?? 0;
    expect(rejected('version')).toBe(1);
    expect(rejected('shape')).toBe(1);
    expect(rejected('msgpack') + rejected('envelope')).toBe(1);
    await bus.close();
  }, 90_000);

  it('resumes a group from its last commit after a member stops mid-stream', async () => {
    const topic = await newTopic(2);
    const records = keyedRecords(5, 200);
    const producer = new KafkaBus({ brokers: mock.brokers, ...fastGroups }, logger);
    await producer.publish(topic, records);
    const seen = new Set<string>();
    const first = new KafkaBus({ brokers: mock.brokers, ...fastGroups, maxBatch: 50 }, logger);
    const sub = await first.consume(topic, { group: 'resume', fromBeginning: true }, async (b) => {
      for (const r of b.records) seen.add(`${r.value.key}/${r.value.n}`);
    });
    await eventually(() => seen.size >= 100, 'part of the stream');
    await sub.stop();
    await first.close();
    const afterFirst = seen.size;
    const second = new KafkaBus({ brokers: mock.brokers, ...fastGroups }, logger);
    let again = 0;
    await second.consume(topic, { group: 'resume', fromBeginning: true }, async (b) => {
      for (const r of b.records) {
        const id = `${r.value.key}/${r.value.n}`;
        if (seen.has(id)) again++;
        seen.add(id);
      }
    });
    await eventually(() => seen.size === records.length, 'the rest of the stream');
    // At-least-once: what the first member committed is not read again.
    expect(again).toBeLessThan(afterFirst);
    await second.close();
    await producer.close();
  }, 90_000);

  it('keeps publishing through a broker outage and loses nothing', async () => {
    const topic = await newTopic(1);
    const bus = new KafkaBus({ brokers: mock.brokers, ...fastGroups }, logger);
    const seen = new Set<number>();
    await bus.consume(topic, { group: 'outage', fromBeginning: true }, async (b) => {
      for (const r of b.records) seen.add(r.value.n);
    });
    await bus.publish(topic, keyedRecords(1, 50));
    await mock.brokerDown();
    let acknowledged = false;
    const during = bus.publish(topic, keyedRecords(1, 100).slice(50)).then(() => (acknowledged = true));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // publish() resolves on the brokers' acknowledgement, which cannot come while they are down.
    expect(acknowledged).toBe(false);
    await mock.brokerUp();
    await during;
    try {
      await eventually(() => seen.size === 100, 'every record after the outage', 60_000);
    } finally {
      await bus.close();
    }
  }, 90_000);
});
