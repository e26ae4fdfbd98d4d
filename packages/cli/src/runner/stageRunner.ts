// Drives one stage's processor from a bus: each batch is processed, its outputs published, event
// time advanced (flush + a watermark downstream), and only then is the batch committed.
import { END_OF_STREAM } from '@sidetap/bus';
import type { Bus, Subscription, Watermark } from '@sidetap/bus';
import type { Counters, Processor } from '@sidetap/core';
import type { PipelineTopic } from './topics';

export interface StageRunOptions {
  bus: Bus;
  stage: string;
  inputs: readonly PipelineTopic<unknown>[];
  /** Topics the stage writes; `route` picks one per record (default: the first). */
  outputs: readonly PipelineTopic<unknown>[];
  route?: ((record: unknown) => PipelineTopic<unknown>) | undefined;
  processor: Processor<unknown, unknown>;
  /** Names this process's watermarks downstream (stable across restarts of one member). */
  producerId: string;
  counters: Counters;
  fromBeginning?: boolean;
}

export interface StageHandle {
  stage: string;
  /** Resolves once every input has reached the end of its stream and the stage has flushed. */
  ended: Promise<void>;
  /** Rejects if the stage failed for good (a handler kept failing). */
  failed: Promise<never>;
  /** Stops reading after the batch in hand, then closes the processor and publishes what it held. */
  stop(): Promise<void>;
}

/**
 * One consumer group per stage and input topic: Kafka's assignors spread every subscribed topic
 * over all members of a group, so members reading different topics must not share one.
 */
export function consumerGroup(stage: string, topic: string): string {
  return `sidetap.${stage}.${topic.replace(/^sidetap\./, '')}`;
}

export async function runStage(options: StageRunOptions): Promise<StageHandle> {
  const { bus, stage, inputs, outputs, processor, counters } = options;
  const route = options.route ?? (() => outputs[0]!);
  const marks: (Watermark | undefined)[] = inputs.map(() => undefined);
  let flushedTo = -Infinity;
  let markEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));

  const emit = async (records: readonly unknown[]): Promise<void> => {
    if (records.length === 0) return;
    counters.inc(`runner_records_emitted_total{stage="${stage}"}`, records.length);
    if (outputs.length === 0) return;
    if (outputs.length === 1) {
      const only = outputs[0]!;
      await bus.publish(only, records.map((value) => ({ key: only.keyOf(value), value })));
      return;
    }
    const byTopic = new Map<PipelineTopic<unknown>, { key: string; value: unknown }[]>();
    for (const value of records) {
      const topic = route(value);
      let list = byTopic.get(topic);
      if (list === undefined) byTopic.set(topic, (list = []));
      list.push({ key: topic.keyOf(value), value });
    }
    for (const [topic, list] of byTopic) await bus.publish(topic, list);
  };

  const subscriptions: Subscription[] = [];
  for (const [i, topic] of inputs.entries()) {
    const sub = await bus.consume(topic, { group: consumerGroup(stage, topic.name), fromBeginning: options.fromBeginning ?? true }, async (batch) => {
      counters.inc(`runner_records_received_total{stage="${stage}"}`, batch.records.length);
      const values = batch.records.map((r) => r.value);
      if (values.length > 0) await emit(await processor.process(values));
      marks[i] = batch.watermark;
      const low = marks.some((m) => m === undefined) ? undefined : Math.min(...(marks as Watermark[]));
      if (low === undefined || low <= flushedTo) return;
      flushedTo = low;
      if (low !== END_OF_STREAM) counters.set(`runner_watermark_ms{stage="${stage}"}`, low);
      await emit(await processor.flush(low));
      for (const out of outputs) await bus.publishWatermark(out, options.producerId, low);
      if (low === END_OF_STREAM) markEnded();
    });
    subscriptions.push(sub);
  }

  const failed = Promise.race(subscriptions.map((s) => s.done)).then(() => new Promise<never>(() => undefined));
  let stopping: Promise<void> | undefined;
  return {
    stage,
    ended,
    failed,
    stop() {
      stopping ??= (async () => {
        processor.interrupt?.();
        await Promise.all(subscriptions.map((s) => s.stop()));
        await emit(await processor.close());
      })();
      return stopping;
    },
  };
}
