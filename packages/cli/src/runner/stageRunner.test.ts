// The runner's contract with a processor: outputs are published keyed, flush is called once per
// higher watermark (the lowest over every input), the watermark is forwarded, and the end of
// stream resolves `ended`.
import { END_OF_STREAM, MemoryBus } from '@sidetap/bus';
import type { Keyed, Topic } from '@sidetap/bus';
import { Counters, createRecordCodec } from '@sidetap/core';
import type { Processor } from '@sidetap/core';
import { z } from 'zod';
import { runStage } from './stageRunner';
import type { PipelineTopic } from './topics';

const schema = z.object({ actor: z.string(), n: z.number() });
type Rec = z.infer<typeof schema>;
const topic = (name: string): PipelineTopic<Rec> => ({ name, codec: createRecordCodec('rec', schema), keyOf: (r) => r.actor });

describe('runStage', () => {
  it('publishes outputs, flushes on the lowest watermark of its inputs, forwards it and ends at the end of stream', async () => {
    const bus = new MemoryBus({ partitions: 2 });
    const a = topic('a');
    const b = topic('b');
    const out = topic('out');
    const flushes: number[] = [];
    const processor: Processor<Rec, Rec> = {
      process: (records) => records.map((r) => ({ ...r, n: r.n * 10 })),
      flush: (w) => {
        flushes.push(w);
        return [{ actor: 'flush', n: w }];
      },
      close: () => [{ actor: 'close', n: -1 }],
    };
    const downstream: Keyed<Rec>[] = [];
    const marks: (number | undefined)[] = [];
    await bus.consume(out as Topic<Rec>, { group: 'check' }, async (batch) => {
      downstream.push(...batch.records);
      marks.push(batch.watermark);
    });
    const counters = new Counters();
    const handle = await runStage({
      bus,
      stage: 'demo',
      inputs: [a, b] as PipelineTopic<unknown>[],
      outputs: [out as PipelineTopic<unknown>],
      processor: processor as Processor<unknown, unknown>,
      producerId: 'demo@test',
      counters,
    });
    await bus.publish(a, [{ key: 'x', value: { actor: 'x', n: 1 } }]);
    await bus.publishWatermark(a, 'cap', 5000);
    await bus.publishWatermark(b, 'cap', 3000);
    await bus.publish(b, [{ key: 'y', value: { actor: 'y', n: 2 } }]);
    await bus.publishWatermark(a, 'cap', END_OF_STREAM);
    await bus.publishWatermark(b, 'cap', END_OF_STREAM);
    await handle.ended;
    await handle.stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(flushes).toEqual([3000, END_OF_STREAM]);
    expect(downstream.map((r) => r.value)).toEqual(
      expect.arrayContaining([
        { actor: 'x', n: 10 },
        { actor: 'y', n: 20 },
        { actor: 'flush', n: 3000 },
        { actor: 'close', n: -1 },
      ]),
    );
    expect(downstream.find((r) => r.value.actor === 'x')?.key).toBe('x');
    expect(marks).toContain(3000);
    expect(marks).toContain(END_OF_STREAM);
    expect(counters.get('runner_records_received_total{stage="demo"}')).toBe(2);
    expect(counters.get('runner_watermark_ms{stage="demo"}')).toBe(3000);
    await bus.close();
  });
});
