// The distributed mode's bus on kafkajs: keyed records encoded with the topic's codec, batches
// acknowledged by all in-sync replicas, consumer groups with commits after the handler succeeds,
// and publishing that keeps retrying with backoff while the brokers are unreachable.
import type { Admin, Kafka, Message, Producer, SASLOptions } from 'kafkajs';
import { encode } from '@msgpack/msgpack';
import type { Logger } from 'pino';
import { Counters } from '@sidetap/core';
import type { Batch, Bus, ConsumeOptions, EncodedRecord, Keyed, Subscription, Topic, Watermark } from '../bus';
import { kafkaConfigSchema } from './kafkaConfig';
import { kafkajs } from './kafkajsModule';
import type { KafkaConfig } from './kafkaConfig';
import { kafkaLogCreator } from './kafkaLog';
import { subscribeKafka } from './kafkaSubscription';
import { WATERMARK_HEADER } from './watermarkMessage';

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  retentionMs: number;
}

export interface TopicSetupResult extends TopicSpec {
  created: boolean;
  actualPartitions: number;
}

export class KafkaBus implements Bus {
  readonly counters = new Counters();
  readonly config: KafkaConfig;
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private admin: Admin | undefined;
  private readonly partitionCounts = new Map<string, number>();
  private readonly subscriptions = new Set<Subscription>();
  private closing = false;

  constructor(
    config: Partial<KafkaConfig>,
    private readonly logger: Logger,
  ) {
    this.config = kafkaConfigSchema.parse(config);
    if (this.config.brokers.length === 0) throw new Error('KafkaBus needs at least one broker (--brokers host:port)');
    this.kafka = new (kafkajs().Kafka)({
      clientId: this.config.clientId,
      brokers: this.config.brokers,
      ssl: this.config.ssl,
      ...(this.config.sasl === undefined ? {} : { sasl: this.config.sasl as SASLOptions }),
      logCreator: kafkaLogCreator(logger),
      retry: { initialRetryTime: this.config.retryInitialMs, maxRetryTime: this.config.retryMaxMs, retries: 8 },
    });
  }

  get client(): Kafka {
    return this.kafka;
  }

  async publish<T>(topic: Topic<T>, records: readonly Keyed<T>[]): Promise<void> {
    await this.publishEncoded(topic, records.map((r) => ({ key: r.key, bytes: topic.codec.encode(r.value) })));
  }

  async publishEncoded<T>(topic: Topic<T>, records: readonly EncodedRecord[]): Promise<void> {
    if (records.length === 0) return;
    const messages: Message[] = records.map((r) => ({ key: r.key, value: asBuffer(r.bytes) }));
    await this.send(topic.name, messages);
    this.counters.inc(`bus_records_published_total{topic="${topic.name}"}`, records.length);
  }

  async publishWatermark(topic: Topic<unknown>, producer: string, watermark: Watermark): Promise<void> {
    const partitions = await this.partitionCount(topic.name);
    const value = Buffer.from(encode({ producer, watermark }));
    const messages: Message[] = Array.from({ length: partitions }, (_, partition) => ({
      partition,
      value,
      headers: { [WATERMARK_HEADER]: '1' },
    }));
    await this.send(topic.name, messages);
  }

  async consume<T>(topic: Topic<T>, options: ConsumeOptions, handler: (batch: Batch<T>) => Promise<void>): Promise<Subscription> {
    const subscription = await subscribeKafka(this.kafka, this.config, this.logger, this.counters, topic, options, handler);
    this.subscriptions.add(subscription);
    void subscription.done.catch(() => undefined).finally(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  /** Topics missing on the brokers, so a stage can refuse to start with a clear message. */
  async missingTopics(names: readonly string[]): Promise<string[]> {
    const existing = new Set(await (await this.adminClient()).listTopics());
    return names.filter((n) => !existing.has(n));
  }

  async lag(topic: string, group: string): Promise<number> {
    const admin = await this.adminClient();
    const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: group, topics: [topic] })]);
    const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    let lag = 0;
    for (const p of ends) {
      const at = done.get(p.partition) ?? -1;
      lag += Number(p.high) - (at < 0 ? Number(p.low) : at);
    }
    return lag;
  }

  /** Creates the topics that do not exist yet; reports the ones that do as they are. */
  async ensureTopics(specs: readonly TopicSpec[]): Promise<TopicSetupResult[]> {
    const admin = await this.adminClient();
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: s.replicationFactor,
          configEntries: [{ name: 'retention.ms', value: String(s.retentionMs) }],
        })),
      });
    }
    const meta = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
    return specs.map((s) => ({
      ...s,
      created: !existing.has(s.name),
      actualPartitions: meta.topics.find((t) => t.name === s.name)?.partitions.length ?? 0,
    }));
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.producer?.disconnect();
    await this.admin?.disconnect();
  }

  /** Sends until acknowledged: a broker outage delays records, never drops them. */
  private async send(topic: string, messages: Message[]): Promise<void> {
    let wait = this.config.retryInitialMs;
    for (;;) {
      try {
        const producer = await this.producerClient();
        await producer.send({
          topic,
          messages,
          acks: -1,
          compression: this.config.compression === 'gzip' ? kafkajs().CompressionTypes.GZIP : kafkajs().CompressionTypes.None,
        });
        return;
      } catch (err) {
        if (this.closing) throw err;
        this.counters.inc(`bus_publish_retries_total{topic="${topic}"}`);
        this.logger.warn({ topic, err: (err as Error).message, retryInMs: wait }, 'publish failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, this.config.retryMaxMs);
      }
    }
  }

  private async producerClient(): Promise<Producer> {
    if (this.producer === undefined) {
      const producer = this.kafka.producer({
        // Topics come from `sidetap kafka setup` with chosen partitions, never from a typo.
        allowAutoTopicCreation: false,
        createPartitioner: kafkajs().Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  private async adminClient(): Promise<Admin> {
    if (this.admin === undefined) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  private async partitionCount(topic: string): Promise<number> {
    let count = this.partitionCounts.get(topic);
    if (count === undefined) {
      const meta = await (await this.adminClient()).fetchTopicMetadata({ topics: [topic] });
      count = meta.topics[0]?.partitions.length ?? 0;
      if (count === 0) throw new Error(`Kafka topic ${topic} has no partitions; run sidetap kafka setup`);
      this.partitionCounts.set(topic, count);
    }
    return count;
  }
}

/** The bytes as a Buffer over the same memory (kafkajs writes Buffers), never a copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
