// KafkaBus against librdkafka's mock cluster, a real Kafka protocol peer on 127.0.0.1.
import { pino } from 'pino';
import { startKafkaMock } from '../../../../scripts/kafkaMock/kafkaMock';
import type { KafkaMock } from '../../../../scripts/kafkaMock/kafkaMock';
import { describeBus, eventually, keyedRecords, testTopic } from '../busSuite';
import type { TestRecord } from '../busSuite';
import type { Keyed } from '../bus';
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

  it('publishEncoded puts the bytes publish would on the same partitions, and consumers read the same records', async () => {
    const plain = await newTopic(3);
    const encoded = await newTopic(3);
    const bus = new KafkaBus({ brokers: mock.brokers, ...fastGroups }, logger);
    const records = keyedRecords(7, 30);
    await bus.publish(plain, records);
    await bus.publishEncoded(encoded, records.map((r) => ({ key: r.key, bytes: encoded.codec.encode(r.value) })));
    expect(bus.counters.get(`bus_records_published_total{topic="${encoded.name}"}`)).toBe(records.length);

    // On the wire: partition by partition, the same keys and bytes in the same order.
    const wire: Record<string, string[][]> = { [plain.name]: [[], [], []], [encoded.name]: [[], [], []] };
    const raw = bus.client.consumer({ groupId: 'raw', sessionTimeout: fastGroups.sessionTimeoutMs, heartbeatInterval: fastGroups.heartbeatIntervalMs, maxWaitTimeInMs: 200 });
    await raw.connect();
    try {
      await raw.subscribe({ topics: [plain.name, encoded.name], fromBeginning: true });
      await raw.run({
        eachMessage: async ({ topic, partition, message }) => void wire[topic]![partition]!.push(`${message.key?.toString()} ${message.value?.toString('hex')}`),
      });
      const count = (t: string): number => wire[t]!.reduce((n, p) => n + p.length, 0);
      await eventually(() => count(plain.name) === records.length && count(encoded.name) === records.length, 'both topics on the wire');
    } finally {
      await raw.disconnect();
    }
    expect(wire[encoded.name]).toEqual(wire[plain.name]);

    // Through the bus: the consumer decodes and checks them like any record.
    const seen: Keyed<TestRecord>[] = [];
    await bus.consume(encoded, { group: 'g', fromBeginning: true }, async (b) => void seen.push(...b.records));
    await eventually(() => seen.length === records.length, 'the encoded records');
    const order = (list: readonly Keyed<TestRecord>[]): string[] => list.map((r) => `${r.key}/${r.value.key}/${r.value.n}`);
    expect(order(seen).sort()).toEqual(order(records).sort());
    // One key's records keep their order.
    for (const key of ['actor-0', 'actor-6']) expect(order(seen.filter((r) => r.key === key))).toEqual(order(records.filter((r) => r.key === key)));
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
