// The capture engine a long-running source drives: packets in (feed), the wall clock moving when
// traffic stops (tick), and a graceful stop that flushes every open connection. Reassembly runs
// on this thread, or on worker threads sharded by flow hash when `workers` is above 0.
import { Counters, createActorKeyOptions, createRedactor } from '@sidetap/core';
import type { ActorConfig, CaptureSource, HttpExchange } from '@sidetap/core';
import type { CaptureConfig } from '../../captureConfig';
import type { CaptureSummary } from '../../capturePipeline';
import { PacketCapture } from '../../packetCapture';
import { SegmentCapture } from '../../segmentCapture';
import type { PacketView } from '../packetView';
import { SegmentWorkerPool } from './segmentWorkerPool';

export interface LiveEngineOptions {
  config: CaptureConfig;
  /** Secrets in traffic are hashed with this key (the store's key, as for capture files). */
  redactionKey: Uint8Array;
  /** The `actor` config section; undefined: core's defaults. */
  actor?: ActorConfig | undefined;
  /** Recorded as sidetap.capture.source. */
  source: CaptureSource;
  onExchange: (exchange: HttpExchange) => void;
  /** Worker threads reassembling shards of the connections; 0 (default) reassembles on this thread. */
  workers?: number;
  /** Batches queued to one worker before further ones are dropped (counted); default 64. */
  workerQueueBatches?: number;
  /** A worker thread failed; the source should stop. */
  onError?: (err: Error) => void;
}

const DEFAULT_WORKER_QUEUE_BATCHES = 64;
const TLS_SERVER_NAMES_SHOWN = 20;

export class LiveEngine {
  /** This thread's counters: decoding, and the source's own (drops, datagrams). */
  readonly counters = new Counters();
  private readonly packets: PacketCapture;
  private readonly inline: SegmentCapture | undefined;
  private readonly pool: SegmentWorkerPool | undefined;
  private exchangeCount = 0;
  private byteCount = 0;
  private stopped: Promise<void> | undefined;
  /** The first worker failure, if any: its connections are lost. */
  failure: Error | undefined = undefined;

  constructor(options: LiveEngineOptions) {
    const onExchange = (exchange: HttpExchange): void => {
      this.exchangeCount += 1;
      options.onExchange(exchange);
    };
    const workers = options.workers ?? 0;
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
        onExchange,
        onError: (err) => {
          this.failure ??= err;
          options.onError?.(err);
        },
      });
      this.packets = new PacketCapture(options.config, this.counters, this.pool);
    } else {
      // A header or cookie that names the actor carries a secret: its value is hashed in the exchange too.
      const actor = options.actor;
      const extraHeaders = [...options.config.redactHeaders, ...(actor?.apiKeyHeaders ?? [])];
      const redactor = createRedactor({ key: Buffer.from(options.redactionKey), extraHeaders, secretCookies: actor?.sessionCookies ?? [] });
      this.inline = new SegmentCapture({
        config: options.config,
        counters: this.counters,
        redactor,
        actor: actor === undefined ? { redactor } : createActorKeyOptions(actor, redactor),
        source: options.source,
        onExchange,
      });
      this.packets = new PacketCapture(options.config, this.counters, this.inline);
    }
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
    if (this.stopped === undefined) this.packets.tick(nowUs);
  }

  /** Closes every connection, emitting what each holds, and ends the workers. Idempotent. */
  stop(nowUs: number): Promise<void> {
    if (this.stopped === undefined) {
      this.packets.tick(nowUs);
      this.packets.stop('capture_ended');
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
}
