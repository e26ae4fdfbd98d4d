// One consumer-group member on kafkajs: decodes fetched batches, folds watermark messages into a
// tracker, hands the stage bounded batches and commits each one only after the stage is done
// with it, so a crash re-reads (at-least-once) and never skips.
import type { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { RecordDecodeError } from '@sidetap/core';
import type { Counters } from '@sidetap/core';
import type { Batch, ConsumeOptions, Keyed, Subscription, Topic } from '../bus';
import { WatermarkTracker } from '../watermarkTracker';
import type { KafkaConfig } from './kafkaConfig';
import { readWatermarkMessage, WATERMARK_HEADER } from './watermarkMessage';

export async function subscribeKafka<T>(
  kafka: Kafka,
  config: KafkaConfig,
  logger: Logger,
  counters: Counters,
  topic: Topic<T>,
  options: ConsumeOptions,
  handler: (batch: Batch<T>) => Promise<void>,
): Promise<Subscription> {
  const consumer = kafka.consumer({
    groupId: options.group,
    sessionTimeout: config.sessionTimeoutMs,
    heartbeatInterval: config.heartbeatIntervalMs,
    maxWaitTimeInMs: config.fetchMaxWaitMs,
    retry: { initialRetryTime: config.retryInitialMs, maxRetryTime: config.retryMaxMs, retries: 8 },
  });
  const tracker = new WatermarkTracker();
  consumer.on(consumer.events.GROUP_JOIN, (e) => tracker.assign(e.payload.memberAssignment[topic.name] ?? []));

  let settle: { resolve: () => void; reject: (err: Error) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  consumer.on(consumer.events.CRASH, (e) => {
    logger.error({ topic: topic.name, group: options.group, err: e.payload.error.message, restart: e.payload.restart }, 'consumer crashed');
    if (!e.payload.restart) settle?.reject(e.payload.error);
  });

  const reject = (message: KafkaMessage, reason: string, detail: string): void => {
    counters.inc(`bus_records_rejected_total{topic="${topic.name}",reason="${reason}"}`);
    // The offset is enough to find the record again; its bytes may be anything.
    logger.warn({ topic: topic.name, offset: message.offset, reason }, `record rejected: ${detail}`);
  };

  const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> => {
    let records: Keyed<T>[] = [];
    let lastOffset: string | undefined;
    const flush = async (): Promise<void> => {
      if (lastOffset === undefined) return;
      await handler({ records, watermark: tracker.current() });
      counters.inc(`bus_records_consumed_total{topic="${topic.name}",group="${options.group}"}`, records.length);
      resolveOffset(lastOffset);
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(lastOffset) + 1n).toString() }]);
      await heartbeat();
      records = [];
      lastOffset = undefined;
    };
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      if (message.headers?.[WATERMARK_HEADER] !== undefined) {
        const mark = readWatermarkMessage(message.value);
        if (mark === undefined) reject(message, 'watermark', 'malformed watermark message');
        else tracker.observe(batch.partition, mark.producer, mark.watermark);
      } else if (message.value === null) {
        reject(message, 'empty', 'message without a value');
      } else {
        try {
          records.push({ key: message.key?.toString('utf8') ?? '', value: topic.codec.decode(message.value) });
        } catch (err) {
          if (!(err instanceof RecordDecodeError)) throw err;
          reject(message, err.reason, err.message);
        }
      }
      lastOffset = message.offset;
      if (records.length >= config.maxBatch) await flush();
    }
    await flush();
  };

  await consumer.connect();
  await consumer.subscribe({ topics: [topic.name], fromBeginning: options.fromBeginning ?? false });
  await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });

  let stopped = false;
  return {
    done,
    async stop() {
      if (stopped) return done;
      stopped = true;
      // disconnect() waits for the batch in hand, whose commit comes before it returns.
      await consumer.disconnect();
      settle?.resolve();
      return done;
    },
  };
}
