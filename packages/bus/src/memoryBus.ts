// The embedded mode's bus: bounded in-process partition logs with Kafka's semantics (per-key
// order, consumer groups with their own positions, commit after the handler) and backpressure: a
// publisher waits while the slowest group is `capacity` records behind, instead of growing memory.
import { Counters, RecordDecodeError } from '@sidetap/core';
import type { Batch, Bus, ConsumeOptions, EncodedRecord, Keyed, Subscription, Topic, Watermark } from './bus';
import { partitionOf } from './partitionOf';
import { WatermarkTracker } from './watermarkTracker';
import { z } from 'zod';

export const memoryBusConfigSchema = z
  .object({
    partitions: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(1)
      .describe(
        'Partitions per topic. One (the default) keeps every record in the order it was published, across keys, so the sessionizer sees a login before the requests that use the token it issued; more only spread the key space.',
      ),
    capacity: z
      .number()
      .int()
      .min(1)
      .default(8192)
      .describe('Records (per partition) a consumer group may fall behind before publishers wait.'),
    maxBatch: z.number().int().min(1).default(512).describe('Most records handed to a handler at once.'),
    handlerAttempts: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('Times a failing batch is retried before its subscription fails (records are never skipped).'),
  })
  .strict()
  .describe('In-process bus of the embedded mode.');

export type MemoryBusConfig = z.infer<typeof memoryBusConfigSchema>;

type Entry = { key: string; value: unknown } | { producer: string; watermark: Watermark };

class PartitionLog {
  entries: Entry[] = [];
  /** Offset of entries[0]. */
  base = 0;
  get end(): number {
    return this.base + this.entries.length;
  }
  at(offset: number): Entry | undefined {
    return this.entries[offset - this.base];
  }
  /** Drops entries every group has read; compacts in bulk so a shift is not paid per record. */
  trim(upTo: number): void {
    const n = upTo - this.base;
    if (n <= 0) return;
    if (n === this.entries.length) this.entries = [];
    else if (n >= 1024 || n * 2 >= this.entries.length) this.entries = this.entries.slice(n);
    else return;
    this.base = upTo;
  }
}

interface Group {
  name: string;
  offsets: number[];
  wake: (() => void) | undefined;
}

class TopicLog {
  readonly partitions: PartitionLog[];
  readonly groups = new Map<string, Group>();
  constructor(count: number) {
    this.partitions = Array.from({ length: count }, () => new PartitionLog());
  }
  lag(partition: number): number {
    const log = this.partitions[partition]!;
    let slowest = log.end;
    for (const g of this.groups.values()) slowest = Math.min(slowest, g.offsets[partition]!);
    return log.end - slowest;
  }
  trim(partition: number): void {
    let slowest = this.partitions[partition]!.end;
    for (const g of this.groups.values()) slowest = Math.min(slowest, g.offsets[partition]!);
    this.partitions[partition]!.trim(slowest);
  }
}

export class MemoryBus implements Bus {
  readonly counters = new Counters();
  private readonly config: MemoryBusConfig;
  private readonly topics = new Map<string, TopicLog>();
  private readonly spaceWaiters: (() => void)[] = [];
  private readonly subscriptions = new Set<Subscription>();

  constructor(config: Partial<MemoryBusConfig> = {}) {
    this.config = memoryBusConfigSchema.parse(config);
  }

  async publish<T>(topic: Topic<T>, records: readonly Keyed<T>[]): Promise<void> {
    const log = this.topic(topic.name);
    if (log.groups.size === 0) {
      // Nobody will ever read these: say so rather than hold them until memory runs out.
      this.counters.inc(`bus_records_dropped_total{topic="${topic.name}",reason="no_consumer"}`, records.length);
      return;
    }
    for (const record of records) {
      const partition = partitionOf(record.key, log.partitions.length);
      while (log.lag(partition) >= this.config.capacity) {
        this.counters.inc(`bus_publish_waits_total{topic="${topic.name}"}`);
        this.wakeConsumers(log);
        await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
      }
      log.partitions[partition]!.entries.push(record);
    }
    this.counters.inc(`bus_records_published_total{topic="${topic.name}"}`, records.length);
    this.wakeConsumers(log);
  }

  async publishEncoded<T>(topic: Topic<T>, records: readonly EncodedRecord[]): Promise<void> {
    // The log holds objects, so the bytes are opened here, with the check a Kafka consumer makes.
    const decoded: Keyed<T>[] = [];
    for (const r of records) {
      try {
        decoded.push({ key: r.key, value: topic.codec.decode(r.bytes) });
      } catch (err) {
        if (!(err instanceof RecordDecodeError)) throw err;
        this.counters.inc(`bus_records_rejected_total{topic="${topic.name}",reason="${err.reason}"}`);
      }
    }
    await this.publish(topic, decoded);
  }

  async publishWatermark(topic: Topic<unknown>, producer: string, watermark: Watermark): Promise<void> {
    const log = this.topic(topic.name);
    // Control entries skip the capacity check: they are tiny, and holding them back could
    // keep a consumer from closing the windows that would free the space.
    for (const p of log.partitions) p.entries.push({ producer, watermark });
    this.wakeConsumers(log);
  }

  async consume<T>(topic: Topic<T>, options: ConsumeOptions, handler: (batch: Batch<T>) => Promise<void>): Promise<Subscription> {
    const log = this.topic(topic.name);
    if (log.groups.has(options.group)) {
      throw new Error(`MemoryBus: group ${options.group} already reads ${topic.name}; the embedded bus has one member per group`);
    }
    const group: Group = {
      name: options.group,
      offsets: log.partitions.map((p) => (options.fromBeginning === true ? p.base : p.end)),
      wake: undefined,
    };
    log.groups.set(options.group, group);
    const tracker = new WatermarkTracker();
    tracker.assign(log.partitions.map((_, i) => i));
    let stopping = false;
    const done = this.runConsumer(topic, log, group, tracker, handler, () => stopping).finally(() => {
      log.groups.delete(group.name);
      log.partitions.forEach((_, i) => log.trim(i));
      this.releaseSpace();
    });
    const subscription: Subscription = {
      done,
      stop: async () => {
        stopping = true;
        group.wake?.();
        await done.catch(() => undefined);
      },
    };
    this.subscriptions.add(subscription);
    void done.catch(() => undefined).finally(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async lag(topic: string, group: string): Promise<number> {
    const log = this.topics.get(topic);
    const g = log?.groups.get(group);
    if (log === undefined || g === undefined) return 0;
    return log.partitions.reduce((sum, p, i) => sum + p.end - g.offsets[i]!, 0);
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
  }

  private async runConsumer<T>(
    topic: Topic<T>,
    log: TopicLog,
    group: Group,
    tracker: WatermarkTracker,
    handler: (batch: Batch<T>) => Promise<void>,
    stopping: () => boolean,
  ): Promise<void> {
    let lastWatermark: Watermark | undefined;
    while (!stopping()) {
      const records: Keyed<T>[] = [];
      const next = group.offsets.slice();
      for (let p = 0; p < log.partitions.length && records.length < this.config.maxBatch; p++) {
        const part = log.partitions[p]!;
        let offset = next[p]!;
        while (offset < part.end && records.length < this.config.maxBatch) {
          const entry = part.at(offset++)!;
          if ('watermark' in entry) tracker.observe(p, entry.producer, entry.watermark);
          else records.push(entry as Keyed<T>);
        }
        next[p] = offset;
      }
      const watermark = tracker.current();
      const moved = next.some((o, p) => o !== group.offsets[p]);
      if (!moved) {
        await new Promise<void>((resolve) => (group.wake = resolve));
        group.wake = undefined;
        continue;
      }
      if (records.length > 0 || watermark !== lastWatermark) {
        await this.handleWithRetries(topic, handler, { records, watermark });
        this.counters.inc(`bus_records_consumed_total{topic="${topic.name}",group="${group.name}"}`, records.length);
      }
      lastWatermark = watermark;
      group.offsets = next; // the commit
      for (let p = 0; p < log.partitions.length; p++) log.trim(p);
      this.releaseSpace();
    }
  }

  private async handleWithRetries<T>(topic: Topic<T>, handler: (batch: Batch<T>) => Promise<void>, batch: Batch<T>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await handler(batch);
        return;
      } catch (err) {
        this.counters.inc(`bus_handler_errors_total{topic="${topic.name}"}`);
        if (attempt >= this.config.handlerAttempts) throw err;
        await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
      }
    }
  }

  private topic(name: string): TopicLog {
    let log = this.topics.get(name);
    if (log === undefined) {
      log = new TopicLog(this.config.partitions);
      this.topics.set(name, log);
    }
    return log;
  }

  private wakeConsumers(log: TopicLog): void {
    for (const g of log.groups.values()) g.wake?.();
  }

  private releaseSpace(): void {
    for (const resolve of this.spaceWaiters.splice(0)) resolve();
  }
}
