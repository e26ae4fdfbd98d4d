// The transport every stage runs on, whatever carries it: an in-process queue (embedded mode) or
// Kafka (distributed). Stages never see which; the runner hands them batches and publishes what
// they return.
import type { RecordCodec } from '@sidetap/core';

/** A named stream of records of one kind. */
export interface Topic<T> {
  readonly name: string;
  readonly codec: RecordCodec<T>;
}

/** A record with the key that decides its partition: one key's records stay in order. */
export interface Keyed<T> {
  key: string;
  value: T;
}

/**
 * A record already encoded with its topic's codec (a producer that encoded off the publishing
 * thread, such as capture's segment workers): the bytes go on the wire as they are.
 */
export interface EncodedRecord {
  key: string;
  bytes: Uint8Array;
}

/** Event time (capture ms since the epoch) below which no more records will arrive. */
export type Watermark = number;

/** The watermark a producer sends when it has nothing more to say. */
export const END_OF_STREAM: Watermark = Number.MAX_SAFE_INTEGER;

export interface Batch<T> {
  records: Keyed<T>[];
  /**
   * The lowest watermark over every partition this member reads and every producer writing them,
   * after this batch; undefined until every partition has reported one.
   */
  watermark: Watermark | undefined;
}

export interface ConsumeOptions {
  /** Consumer group: members of one group share the partitions; each group sees every record. */
  group: string;
  /** Start from the earliest retained record when the group has no committed position. */
  fromBeginning?: boolean;
}

export interface Subscription {
  /** Resolves when the subscription stops: after stop(), or rejects when the handler failed for good. */
  readonly done: Promise<void>;
  /** Finish the batch in hand, commit it, and stop reading. */
  stop(): Promise<void>;
}

export interface Bus {
  /**
   * Resolves once the transport holds the records (memory: queued; Kafka: acknowledged by all
   * in-sync replicas). Waits while the consumers are behind: that wait is the backpressure.
   */
  publish<T>(topic: Topic<T>, records: readonly Keyed<T>[]): Promise<void>;
  /**
   * publish() for records already encoded with `topic.codec`: the same delivery, acknowledgement
   * and backpressure. Kafka sends the bytes as they are; the memory bus decodes them (a record
   * that does not decode is counted as rejected, as a Kafka consumer would).
   */
  publishEncoded<T>(topic: Topic<T>, records: readonly EncodedRecord[]): Promise<void>;
  /** Tells every partition of the topic that this producer's event time has reached `watermark`. */
  publishWatermark(topic: Topic<unknown>, producer: string, watermark: Watermark): Promise<void>;
  /**
   * Hands batches to `handler` and commits each after the handler resolves (at-least-once). The
   * next batch is not read until then.
   */
  consume<T>(topic: Topic<T>, options: ConsumeOptions, handler: (batch: Batch<T>) => Promise<void>): Promise<Subscription>;
  /** Records of `topic` that `group` has not committed yet, over all partitions. */
  lag(topic: string, group: string): Promise<number>;
  close(): Promise<void>;
}
