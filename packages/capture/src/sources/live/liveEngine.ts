// The capture engine a long-running source drives: packets in (feed), the wall clock moving when
// traffic stops (tick), and a graceful stop that flushes every open connection. Reassembly runs
// on this thread, or on worker threads sharded by flow hash when `workers` is above 0. Exchanges
// come out as objects (onExchange) or encoded for the sidetap.exchanges topic (onEncoded), which
// with workers keeps the source thread from ever building them: that is what lets the workers
// raise a source's one-core ceiling when it only forwards to Kafka.
import { Counters, createActorKeyOptions, createRedactor } from '@sidetap/core';
import type { ActorConfig, CaptureSource, HttpExchange } from '@sidetap/core';
import type { CaptureConfig } from '../../captureConfig';
import { TLS_SERVER_NAMES_SHOWN } from '../../capturePipeline';
import type { CaptureSummary } from '../../capturePipeline';
import { PacketCapture } from '../../packetCapture';
import { createShardCapture } from '../../segmentCapture';
import type { SegmentCapture } from '../../segmentCapture';
import type { PacketView } from '../packetView';
import { createExchangeRecordCodec, EncodedExchangeWriter } from './encodedExchanges';
import type { EncodedExchangeBatch } from './encodedExchanges';
import { SegmentWorkerPool } from './segmentWorkerPool';

export interface LiveEngineOptions {
  config: CaptureConfig;
  /** Secrets in traffic are hashed with this key (the store's key, as for capture files). */
  redactionKey: Uint8Array;
  /** The `actor` config section; undefined: core's defaults. */
  actor?: ActorConfig | undefined;
  /** Recorded as sidetap.capture.source. */
  source: CaptureSource;
  /** Receives every exchange as an object. Exactly one of this and onEncoded is set. */
  onExchange?: ((exchange: HttpExchange) => void) | undefined;
  /**
   * Receives the exchanges encoded with the sidetap.exchanges codec, with key and event time
   * (read them with readEncodedExchanges). With workers they are encoded on the workers; with
   * none, on this thread, in batches that end with each burst of packets, tick and stop.
   */
  onEncoded?: ((batch: EncodedExchangeBatch) => void) | undefined;
  /** Worker threads reassembling shards of the connections; 0 (default) reassembles on this thread. */
  workers?: number;
  /** Batches queued to one worker before further ones are dropped (counted); default 64. */
  workerQueueBatches?: number;
  /** A worker thread failed; the source should stop. */
  onError?: (err: Error) => void;
}

const DEFAULT_WORKER_QUEUE_BATCHES = 64;

export class LiveEngine {
  /** This thread's counters: decoding, and the source's own (drops, datagrams). */
  readonly counters = new Counters();
  private readonly packets: PacketCapture;
  private readonly inline: SegmentCapture | undefined;
  private readonly pool: SegmentWorkerPool | undefined;
  private exchangeCount = 0;
  /** The inline path's encoded output, when onEncoded is set and there are no workers. */
  private readonly outbox: { writer: EncodedExchangeWriter; deliver: (batch: EncodedExchangeBatch) => void } | undefined;
  private flushScheduled = false;
  private byteCount = 0;
  private stopped: Promise<void> | undefined;
  /** The first worker failure, if any: its connections are lost. */
  failure: Error | undefined = undefined;

  constructor(options: LiveEngineOptions) {
    if ((options.onExchange === undefined) === (options.onEncoded === undefined)) throw new Error('LiveEngine: set exactly one of onExchange and onEncoded');
    const workers = options.workers ?? 0;
    const onEncoded = options.onEncoded;
    let onExchange: (exchange: HttpExchange) => void;
    if (onEncoded !== undefined && workers === 0) {
      const codec = createExchangeRecordCodec();
      const writer = new EncodedExchangeWriter();
      this.outbox = { writer, deliver: onEncoded };
      onExchange = (exchange) => {
        this.exchangeCount += 1;
        writer.addExchange(codec, exchange);
        if (!this.flushScheduled) {
          // The burst libpcap or the socket is delivering now ends before the next macrotask.
          this.flushScheduled = true;
          setImmediate(() => this.flushOutbox());
        }
      };
    } else {
      this.outbox = undefined;
      const deliver = options.onExchange;
      onExchange = (exchange) => {
        this.exchangeCount += 1;
        deliver?.(exchange);
      };
    }
    if (workers > 0) {
      // Load the actor key files here first, so a bad one fails at start-up, not in a worker.
      if (options.actor !== undefined) createActorKeyOptions(options.actor, createRedactor({ key: Buffer.from(options.redactionKey) }));
      this.pool = new SegmentWorkerPool({
        workers,
        config: options.config,
        redactionKey: options.redactionKey,
        actor: options.actor,
        source: options.source,
        queueBatches: options.workerQueueBatches ?? DEFAULT_WORKER_QUEUE_BATCHES,
        counters: this.counters,
        ...(onEncoded === undefined
          ? { onExchange }
          : {
              onEncoded: (batch: EncodedExchangeBatch) => {
                this.exchangeCount += batch.count;
                onEncoded(batch);
              },
            }),
        onError: (err) => {
          this.failure ??= err;
          options.onError?.(err);
        },
      });
      this.packets = new PacketCapture(options.config, this.counters, this.pool);
    } else {
      const data = { config: options.config, redactionKey: options.redactionKey, actor: options.actor, source: options.source };
      this.inline = createShardCapture(data, onExchange, this.counters);
      this.packets = new PacketCapture(options.config, this.counters, this.inline);
    }
  }

  /**
   * Resolves once the workers have loaded and can take traffic at their own pace (at once without
   * workers). Packets fed before then are kept, within each worker's queue bound.
   */
  ready(): Promise<void> {
    return this.pool?.ready ?? Promise.resolve();
  }

  get exchanges(): number {
    return this.exchangeCount;
  }

  get packetCount(): number {
    return this.packets.packets;
  }

  get bytes(): number {
    return this.byteCount;
  }

  feed(packet: PacketView): void {
    if (this.stopped !== undefined) return;
    this.byteCount += packet.caplen;
    this.packets.feed(packet);
  }

  /** The wall clock moved (call about once a second): idle connections close and emit. */
  tick(nowUs: number): void {
    if (this.stopped !== undefined) return;
    this.packets.tick(nowUs);
    this.flushOutbox();
  }

  /** Closes every connection, emitting what each holds, and ends the workers. Idempotent. */
  stop(nowUs: number): Promise<void> {
    if (this.stopped === undefined) {
      this.packets.tick(nowUs);
      this.packets.stop('capture_ended');
      this.flushOutbox();
      this.stopped = this.pool === undefined ? Promise.resolve() : this.pool.stopped();
    }
    return this.stopped;
  }

  /** Ends at once after a failure, dropping what the workers hold. */
  async abort(): Promise<void> {
    this.stopped ??= Promise.resolve();
    await this.pool?.terminate();
  }

  /** Every counter: this thread's and the workers' (as of their last tick), by name. */
  snapshot(): Record<string, number> {
    const out = this.counters.snapshot();
    if (this.pool !== undefined) for (const [name, n] of Object.entries(this.pool.workerCounters())) out[name] = (out[name] ?? 0) + n;
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** The summary a capture run prints; `openFlowsAtEnd` is what stop() had to close. */
  summary(openFlowsAtEnd: number): CaptureSummary {
    return {
      files: 0,
      packets: this.packets.packets,
      fileBytes: this.byteCount,
      exchanges: this.exchangeCount,
      openFlowsAtEnd,
      counters: this.snapshot(),
      tlsServerNames: this.inline?.tlsServerNames(TLS_SERVER_NAMES_SHOWN) ?? [],
      fault: undefined,
    };
  }

  get openFlows(): number {
    return this.packets.openFlows;
  }

  /** Hands the inline path's encoded exchanges on as one batch. */
  private flushOutbox(): void {
    this.flushScheduled = false;
    if (this.outbox === undefined || this.outbox.writer.count === 0) return;
    this.outbox.deliver(this.outbox.writer.take());
  }
}
