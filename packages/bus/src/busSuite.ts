// Behaviour every Bus must show, run against each implementation by its own test file.
import { z } from 'zod';
import { createRecordCodec } from '@sidetap/core';
import type { Batch, Bus, Keyed, Topic } from './bus';
import { END_OF_STREAM } from './bus';

export const testRecordSchema = z.object({ key: z.string(), n: z.number().int() }).strict();
export type TestRecord = z.infer<typeof testRecordSchema>;

export function testTopic(name: string): Topic<TestRecord> {
  return { name, codec: createRecordCodec('test', testRecordSchema) };
}

export function keyedRecords(keys: number, perKey: number): Keyed<TestRecord>[] {
  const out: Keyed<TestRecord>[] = [];
  for (let n = 0; n < perKey; n++) for (let k = 0; k < keys; k++) out.push({ key: `actor-${k}`, value: { key: `actor-${k}`, n } });
  return out;
}

/** Resolves once `predicate` holds, polling; rejects with `what` after `ms`. */
export async function eventually(predicate: () => boolean, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface BusHarness {
  bus: Bus;
  /** A topic that exists (Kafka needs it created first) with a unique name. */
  topic(partitions: number): Promise<Topic<TestRecord>>;
  close(): Promise<void>;
}

export function describeBus(name: string, make: () => Promise<BusHarness>, timeoutMs = 60_000): void {
  describe(`${name} (Bus behaviour)`, () => {
    let h: BusHarness;
    beforeEach(async () => {
      h = await make();
    }, timeoutMs);
    afterEach(async () => {
      await h.close();
    }, timeoutMs);

    it('delivers every record once to each group, in order per key', async () => {
      const topic = await h.topic(3);
      const seen: Record<string, TestRecord[]> = { a: [], b: [] };
      for (const group of ['a', 'b']) {
        await h.bus.consume(topic, { group, fromBeginning: true }, async (batch) => {
          seen[group]!.push(...batch.records.map((r) => r.value));
        });
      }
      const records = keyedRecords(7, 40);
      await h.bus.publish(topic, records.slice(0, 100));
      await h.bus.publish(topic, records.slice(100));
      await eventually(() => seen.a!.length >= records.length && seen.b!.length >= records.length, 'both groups to read');
      for (const group of ['a', 'b']) {
        const got = seen[group]!;
        expect(got).toHaveLength(records.length);
        for (let k = 0; k < 7; k++) {
          expect(got.filter((r) => r.key === `actor-${k}`).map((r) => r.n)).toEqual([...Array(40).keys()]);
        }
      }
    }, timeoutMs);

    it('hands a failed batch to the handler again instead of skipping it', async () => {
      const topic = await h.topic(1);
      const seen: number[] = [];
      let failures = 0;
      await h.bus.consume(topic, { group: 'g', fromBeginning: true }, async (batch) => {
        if (failures === 0 && batch.records.some((r) => r.value.n === 5)) {
          failures++;
          throw new Error('handler failed once');
        }
        seen.push(...batch.records.map((r) => r.value.n));
      });
      await h.bus.publish(topic, keyedRecords(1, 10));
      await eventually(() => new Set(seen).size === 10, 'all ten records after a failure');
      expect(failures).toBe(1);
      expect([...new Set(seen)].sort((x, y) => x - y)).toEqual([...Array(10).keys()]);
    }, timeoutMs);

    it('reports the lowest watermark over producers and partitions, then the end', async () => {
      const topic = await h.topic(2);
      const marks: (number | undefined)[] = [];
      let records = 0;
      await h.bus.consume(topic, { group: 'g', fromBeginning: true }, async (batch: Batch<TestRecord>) => {
        marks.push(batch.watermark);
        records += batch.records.length;
      });
      // A consumer cannot know of a producer before it hears from it, so p2 speaks first.
      await h.bus.publishWatermark(topic, 'p2', 500);
      await eventually(() => marks.includes(500), 'watermark 500');
      await h.bus.publishWatermark(topic, 'p1', 1000);
      await h.bus.publish(topic, keyedRecords(2, 2));
      await eventually(() => records === 4, 'the records after p1 spoke');
      expect(marks).not.toContain(1000);
      await h.bus.publishWatermark(topic, 'p2', 2000);
      await eventually(() => marks.includes(1000), 'watermark 1000 once p2 passed p1');
      await h.bus.publishWatermark(topic, 'p1', END_OF_STREAM);
      await h.bus.publishWatermark(topic, 'p2', END_OF_STREAM);
      await eventually(() => marks.includes(END_OF_STREAM), 'end of stream');
      const defined = marks.filter((m): m is number => m !== undefined);
      expect(defined).toEqual([...defined].sort((x, y) => x - y));
    }, timeoutMs);
  });
}
