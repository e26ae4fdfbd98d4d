// Encoded exchanges wait in the same backlog as objects, go out in arrival order with the bytes
// unchanged, and move the watermark by their request time as objects do.
import { join } from 'node:path';
import { END_OF_STREAM, MemoryBus } from '@sidetap/bus';
import type { Bus, EncodedRecord, Keyed, Topic } from '@sidetap/bus';
import { captureConfigSchema, captureFiles } from '@sidetap/capture';
import { createRedactor } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { sidetapConfigSchema } from '../sidetapConfig';
import { CapturePublisher } from './capturePublisher';
import { TOPICS } from './topics';

const pipeline = sidetapConfigSchema.parse({ pipeline: { publishBatch: 4, watermarkDelayMs: 1000 } }).pipeline;

let fixture: HttpExchange[] = [];
beforeAll(async () => {
  const out: HttpExchange[] = [];
  await captureFiles([join(__dirname, '../../../../fixtures/pcaps/demo.pcap')], {
    config: captureConfigSchema.parse({}),
    redactor: createRedactor({ key: Buffer.alloc(32, 1) }),
    onExchange: (ex) => out.push(ex),
  });
  fixture = out;
});

/** A real exchange (from a fixture capture) with the id, actor and request time a test wants. */
function exchange(n: number, actor: string): HttpExchange {
  const base = fixture[n % fixture.length]!;
  return {
    ...base,
    '@timestamp': new Date(1_700_000_000_000 + n * 1000).toISOString(),
    event: { ...base.event, id: `ex${n}` },
    sidetap: { ...base.sidetap, actor_key: actor },
  };
}

/** A bus that records what each call was handed, in order. */
function recordingBus(): { bus: Bus; calls: string[]; marks: number[] } {
  const calls: string[] = [];
  const marks: number[] = [];
  const inner = new MemoryBus();
  const bus: Bus = {
    publish: async <T>(_topic: Topic<T>, records: readonly Keyed<T>[]) => void calls.push(`objects ${records.map((r) => (r.value as HttpExchange).event.id).join(',')}`),
    publishEncoded: async <T>(topic: Topic<T>, records: readonly EncodedRecord[]) =>
      void calls.push(`encoded ${records.map((r) => (topic.codec.decode(r.bytes) as HttpExchange).event.id).join(',')}`),
    publishWatermark: async (_topic, _producer, watermark) => void marks.push(watermark),
    consume: (topic, options, handler) => inner.consume(topic, options, handler),
    lag: async () => 0,
    close: async () => undefined,
  };
  return { bus, calls, marks };
}

describe('CapturePublisher with encoded exchanges', () => {
  it('keeps one backlog for both kinds and sends them in arrival order, a run of one kind per publish', async () => {
    const { bus, calls, marks } = recordingBus();
    const publisher = new CapturePublisher(bus, pipeline, 'capture@test');
    const codec = TOPICS.exchanges.codec;
    const encoded = (n: number): void => {
      const ex = exchange(n, `ip:${n}`);
      publisher.addEncoded(ex.sidetap.actor_key, Date.parse(ex['@timestamp']), codec.encode(ex));
    };
    encoded(1);
    encoded(2);
    publisher.add(exchange(3, 'ip:3'));
    encoded(4);
    encoded(5);
    encoded(9);
    expect(publisher.backlog).toBe(6);
    await publisher.drain();
    expect(publisher.backlog).toBe(0);
    // publishBatch 4: [1,2,3,4] then [5,9].
    expect(calls).toEqual(['encoded ex1,ex2', 'objects ex3', 'encoded ex4', 'encoded ex5,ex9']);
    // The newest request time (exchange 9) less the delay, whichever kind carried it.
    expect(marks).toEqual([1_700_000_000_000 + 9000 - 1000]);
    await publisher.end();
    expect(marks.at(-1)).toBe(END_OF_STREAM);
  });

  it('hands consumers the encoded record under the key given', async () => {
    const bus = new MemoryBus();
    const seen: Keyed<HttpExchange>[] = [];
    await bus.consume(TOPICS.exchanges, { group: 'g' }, async (b) => void seen.push(...b.records));
    const publisher = new CapturePublisher(bus, pipeline, 'capture@test');
    const ex = exchange(7, 'jwt:abc');
    publisher.addEncoded('jwt:abc', Date.parse(ex['@timestamp']), TOPICS.exchanges.codec.encode(ex));
    await publisher.end();
    for (let turns = 0; seen.length === 0 && turns < 1000; turns++) await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([{ key: 'jwt:abc', value: TOPICS.exchanges.codec.decode(TOPICS.exchanges.codec.encode(ex)) }]);
    await bus.close();
  });
});
