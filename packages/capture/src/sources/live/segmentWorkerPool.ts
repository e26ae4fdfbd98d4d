// Spreads a live source's connections over worker threads by flow hash: the source's thread
// decodes packets, and each segment goes to the worker owning its connection (parallel/shardOf's
// shardOf: both directions, and every VLAN/VNI context, land in one worker), which reassembles and
// parses HTTP. Each worker has a bounded queue of batches; a batch that finds it full is dropped
// and counted, since a live link cannot be told to wait. Workers hand exchanges back as objects,
// or, for a source that only forwards them to Kafka, already encoded (encodedExchanges.ts).
import type { Counters } from '@sidetap/core';
import type { ActorConfig, CaptureSource, HttpExchange } from '@sidetap/core';
import type { Worker } from 'node:worker_threads';
import type { CaptureConfig } from '../../captureConfig';
import type { TcpSegment } from '../../decode';
import { shardConfig } from '../../parallel/parallelCapture';
import { shardOf } from '../../parallel/shardOf';
import type { SegmentSink } from '../../segmentCapture';
import type { CloseReason } from '../../tcp';
import type { EncodedExchangeBatch } from './encodedExchanges';
import { SegmentBatchWriter } from './segmentBatch';
import type { MainToSegmentWorker, SegmentWorkerData, SegmentWorkerReady, SegmentWorkerReply } from './segmentWorkerMessages';
import { startSegmentWorker } from './segmentWorkerStart';

/** A worker's batch is sent once it holds this much, or at the end of the current burst of packets. */
const FLUSH_BYTES = 256 * 1024;

export const WORKER_SEGMENTS_DROPPED = 'capture_worker_segments_dropped_total';

export interface SegmentWorkerPoolOptions {
  workers: number;
  config: CaptureConfig;
  redactionKey: Uint8Array;
  actor: ActorConfig | undefined;
  source: CaptureSource;
  /** Batches sent to one worker and not yet answered; a batch beyond this is dropped (counted). */
  queueBatches: number;
  /** The source thread's counters: the drop counter moves here. */
  counters: Counters;
  /** Receives the workers' exchanges as objects (one of this and onEncoded is set). */
  onExchange?: ((exchange: HttpExchange) => void) | undefined;
  /** Receives the workers' exchanges encoded for sidetap.exchanges, one batch per worker reply. */
  onEncoded?: ((batch: EncodedExchangeBatch) => void) | undefined;
  /** A worker failed: its connections are lost, the source should stop. */
  onError: (err: Error) => void;
}

interface Member {
  worker: Worker;
  writer: SegmentBatchWriter;
  inFlight: number;
  ready: boolean;
  openFlows: number;
  counters: Record<string, number>;
  exited: Promise<void>;
}

export class SegmentWorkerPool implements SegmentSink {
  private readonly members: Member[] = [];
  private flushScheduled = false;
  private stopping = false;
  private notReady: number;
  private allReady: () => void = () => undefined;
  /**
   * Resolves once every worker has loaded and set up (or failed, which onError reports): batches
   * sent before then wait in a queue the worker is not yet draining, and count against its bound.
   */
  readonly ready: Promise<void>;

  constructor(private readonly options: SegmentWorkerPoolOptions) {
    this.notReady = options.workers;
    this.ready = new Promise((resolve) => (this.allReady = resolve));
    const data: Omit<SegmentWorkerData, 'redactionKey'> = {
      config: shardConfig(options.config, options.workers),
      actor: options.actor,
      source: options.source,
      output: options.onEncoded === undefined ? 'objects' : 'records',
    };
    for (let index = 0; index < options.workers; index++) {
      const worker = startSegmentWorker({ ...data, redactionKey: Uint8Array.from(options.redactionKey) });
      const member: Member = {
        worker,
        writer: new SegmentBatchWriter(),
        inFlight: 0,
        ready: false,
        openFlows: 0,
        counters: {},
        exited: new Promise((resolve) => worker.once('exit', () => resolve())),
      };
      worker.on('message', (reply: SegmentWorkerReply | SegmentWorkerReady) => (reply.type === 'ready' ? this.markReady(member) : this.onReply(member, reply)));
      worker.on('error', (err: Error) => options.onError(new Error(`segment worker ${index} failed: ${err.message}`, { cause: err })));
      // A worker that ended before it was ready (it failed: onError says so) is no longer awaited.
      worker.once('exit', () => this.markReady(member));
      this.members.push(member);
    }
  }

  get openFlows(): number {
    let n = 0;
    for (const m of this.members) n += m.openFlows;
    return n;
  }

  /** The workers' counters (TCP, HTTP, exchanges), summed, as of their last tick or stop. */
  workerCounters(): Record<string, number> {
    const sum: Record<string, number> = {};
    for (const m of this.members) for (const [name, n] of Object.entries(m.counters)) sum[name] = (sum[name] ?? 0) + n;
    return sum;
  }

  onSegment(segment: TcpSegment): void {
    if (this.stopping) return;
    const member = this.members[shardOf(segment, this.members.length)]!;
    member.writer.add(segment);
    if (member.writer.bytes >= FLUSH_BYTES) this.flush(member);
    else if (!this.flushScheduled) {
      // The burst libpcap or the socket is delivering now ends before the next macrotask.
      this.flushScheduled = true;
      setImmediate(() => this.flushAll());
    }
  }

  advanceClock(tsUs: number): void {
    if (this.stopping) return;
    this.flushAll();
    for (const m of this.members) this.post(m, { type: 'tick', nowUs: tsUs });
  }

  closeAll(reason: CloseReason, tsUs: number): void {
    if (this.stopping) return;
    this.flushAll();
    this.stopping = true;
    for (const m of this.members) this.post(m, { type: 'stop', reason, tsUs });
  }

  /** Resolves once every worker has answered closeAll() (its last exchanges delivered) and ended. */
  async stopped(): Promise<void> {
    await Promise.all(this.members.map((m) => m.exited));
  }

  /** Ends the workers at once, without waiting for what they hold (after a failure). */
  async terminate(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.members.map((m) => m.worker.terminate()));
  }

  private flushAll(): void {
    this.flushScheduled = false;
    for (const m of this.members) if (m.writer.segments > 0) this.flush(m);
  }

  private flush(member: Member): void {
    const writer = member.writer;
    if (member.inFlight >= this.options.queueBatches) {
      this.options.counters.inc(WORKER_SEGMENTS_DROPPED, writer.segments);
      writer.clear();
      return;
    }
    const batch = writer.take();
    member.inFlight += 1;
    this.post(member, { type: 'segments', buffer: batch.buffer, bytes: batch.bytes }, [batch.buffer]);
  }

  private post(member: Member, message: MainToSegmentWorker, transfer: ArrayBuffer[] = []): void {
    member.worker.postMessage(message, transfer);
  }

  private markReady(member: Member): void {
    if (member.ready) return;
    member.ready = true;
    this.notReady -= 1;
    if (this.notReady === 0) this.allReady();
  }

  private onReply(member: Member, reply: SegmentWorkerReply): void {
    if (reply.type === 'segments') member.inFlight -= 1;
    member.openFlows = reply.openFlows;
    if (reply.counters !== undefined) member.counters = reply.counters;
    if (reply.records !== undefined) this.options.onEncoded?.(reply.records);
    if (reply.exchanges === undefined || this.options.onExchange === undefined) return;
    const text = Buffer.from(reply.exchanges.buffer, reply.exchanges.byteOffset, reply.exchanges.byteLength).toString('utf8');
    for (const ex of JSON.parse(text) as HttpExchange[]) this.options.onExchange(ex);
  }
}
