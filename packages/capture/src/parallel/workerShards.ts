// Parallel file capture's reassembly side, run by the reading thread. Each decoded segment goes to
// the shard that holds its connection (shardOf): shard 0 is reassembled here, in the reading
// thread; each other shard is a worker thread, and its segments are packed into that worker's
// batch. At the end of every chunk of input each worker gets its batch (empty or not) and answers
// with the NDJSON of the exchanges it completed; shard 0's and the workers' NDJSON is written in
// one deterministic order (ChunkSequencer: chunk 0 of shard 0, of shard 1, ..., chunk 1, ..., then
// what each closed at the end). The read waits once it is `credit` chunks ahead of what has been
// written, so memory stays bounded and a slow output holds the read back.
//
// Idle expiry must close the same connections at the same capture times as one thread would, and
// a shard sees only its own segments: an ExpiryClock here, fed every segment, sweeps shard 0 and
// puts a tick in every worker's batch at each capture time a single reassembler would sweep.
import type { Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { NdjsonChunk } from '@sidetap/core';
import type { ActorConfig } from '@sidetap/core';
import type { CaptureConfig } from '../captureConfig';
import type { CaptureTarget, TargetSummary } from '../capturePipeline';
import type { TcpSegment } from '../decode';
import { createShardCapture } from '../segmentCapture';
import type { SegmentCapture } from '../segmentCapture';
import { SegmentBatchWriter } from '../sources/live/segmentBatch';
import type { MainToSegmentWorker, SegmentWorkerReady, SegmentWorkerReply } from '../sources/live/segmentWorkerMessages';
import { startSegmentWorker } from '../sources/live/segmentWorkerStart';
import type { CloseReason } from '../tcp';
import { ExpiryClock } from '../tcp/expiryClock';
import { ChunkSequencer } from './chunkSequencer';
import { ShardRouter } from './shardRouter';
import { mergeTlsServerNames } from './tlsServerNames';

export interface WorkerShardsOptions {
  /** Limits already split between the workers (shardConfig). */
  config: CaptureConfig;
  redactionKey: Uint8Array;
  actor: ActorConfig | undefined;
  /** Shards: the reading thread's own and one worker thread for each of the rest. */
  shards: number;
  output: Writable;
  /** Chunks the read may run ahead of what has been written. */
  credit: number;
}

interface ShardEnd {
  openFlows: number;
  tlsServerNames: Array<[string, number]>;
  counters: Record<string, number>;
}

/** A worker thread's shard. */
interface Member {
  worker: Worker;
  writer: SegmentBatchWriter;
  openFlows: number;
  /** The stop reply's report, once it came. */
  stopped: ShardEnd | undefined;
}

interface Output {
  ndjson: Uint8Array | undefined;
  count: number;
}

export class WorkerShards implements CaptureTarget {
  /** Shard 0, reassembled in this thread, and the NDJSON it completed since the last chunk. */
  private readonly local: SegmentCapture;
  private readonly localLines = new NdjsonChunk();
  private localEnd: ShardEnd | undefined;
  /** Shards 1..n-1. */
  private readonly members: Member[] = [];
  private readonly sequencer: ChunkSequencer<Output>;
  private readonly clock = new ExpiryClock();
  private readonly router: ShardRouter;
  /** Segments replies received from each worker. */
  private readonly replies: number[];
  private file: string | undefined;
  /** Chunks posted to every worker so far. */
  private posted = 0;
  /** Chunks written for every worker so far. */
  private writtenChunks = 0;
  private written = 0;
  private stopping = false;
  private blocked = false;
  private failure: Error | undefined;
  private wake: { resolve: () => void; reject: (err: Error) => void } | undefined;
  private finished: { resolve: (summary: TargetSummary) => void; reject: (err: Error) => void } | undefined;

  constructor(private readonly options: WorkerShardsOptions) {
    this.router = new ShardRouter(options.shards);
    this.sequencer = new ChunkSequencer<Output>(options.shards);
    this.replies = new Array<number>(options.shards).fill(0);
    const data = { config: options.config, actor: options.actor, source: 'pcap' as const };
    this.local = createShardCapture({ ...data, redactionKey: options.redactionKey }, (exchange) => this.localLines.add(exchange));
    options.output.on('error', this.onOutputError);
    for (let index = 1; index < options.shards; index++) {
      const worker = startSegmentWorker({ ...data, redactionKey: Uint8Array.from(options.redactionKey), output: 'ndjson' });
      const member: Member = { worker, writer: new SegmentBatchWriter(), openFlows: 0, stopped: undefined };
      this.members.push(member);
      worker.on('message', (reply: SegmentWorkerReply | SegmentWorkerReady) => {
        if (reply.type === 'ready') return;
        try {
          this.onReply(index, member, reply);
        } catch (err) {
          this.fail(err as Error);
        }
      });
      worker.on('error', (err: Error) => this.fail(new Error(`capture worker ${index} failed: ${err.message}`, { cause: err })));
      worker.on('messageerror', (err: Error) => this.fail(new Error(`capture worker ${index} sent a message that could not be read: ${err.message}`)));
      worker.on('exit', (code: number) => {
        if (member.stopped === undefined) this.fail(new Error(`capture worker ${index} exited with code ${code} before finishing`));
      });
    }
  }

  /** Exchanges written to the output so far. */
  get exchanges(): number {
    return this.written;
  }

  /** Open connections: this thread's, and each worker's as of its last answer. */
  get openFlows(): number {
    let n = this.local.openFlows;
    for (const m of this.members) n += m.openFlows;
    return n;
  }

  setFile(file: string | undefined): void {
    if (file === this.file) return;
    // Segments already packed came from the file before: they go out under its name.
    if (this.members.some((m) => m.writer.bytes > 0)) this.postChunk();
    this.file = file;
    this.local.setFile(file);
  }

  onSegment(segment: TcpSegment): void {
    this.advanceClock(segment.tsUs);
    const shard = this.router.shardOf(segment);
    if (shard === 0) this.local.onSegment(segment);
    else this.members[shard - 1]!.writer.add(segment);
  }

  advanceClock(tsUs: number): void {
    if (!this.clock.advance(tsUs)) return;
    this.local.advanceClock(tsUs);
    for (const m of this.members) m.writer.addTick(tsUs);
  }

  async afterChunk(): Promise<void> {
    this.postChunk();
    if (this.posted - this.writtenChunks > this.options.credit) {
      await new Promise<void>((resolve, reject) => (this.wake = { resolve, reject }));
    }
    if (this.failure !== undefined) throw this.failure;
  }

  closeAll(reason: CloseReason, tsUs: number): void {
    if (this.stopping || this.failure !== undefined) return;
    this.postChunk();
    this.stopping = true;
    for (const m of this.members) this.post(m, { type: 'stop', reason, tsUs });
    this.localEnd = { ...this.local.closeAndReport(reason, tsUs), counters: this.local.counters.snapshot() };
    this.sequencer.finish(0, this.posted, this.takeLocalLines());
  }

  finish(): Promise<TargetSummary> {
    return new Promise<TargetSummary>((resolve, reject) => {
      if (this.failure !== undefined) reject(this.failure);
      else {
        this.finished = { resolve, reject };
        this.pump();
      }
    });
  }

  async abort(): Promise<void> {
    this.stopping = true;
    this.options.output.off('error', this.onOutputError);
    await Promise.all(this.members.map((m) => m.worker.terminate()));
  }

  private postChunk(): void {
    if (this.failure !== undefined) return;
    for (const m of this.members) {
      const batch = m.writer.take();
      this.post(m, { type: 'segments', buffer: batch.buffer, bytes: batch.bytes, file: this.file }, [batch.buffer]);
    }
    this.sequencer.addChunk(0, this.posted, this.takeLocalLines());
    this.posted += 1;
    this.pump();
  }

  private takeLocalLines(): Output {
    const count = this.localLines.records;
    return { ndjson: this.localLines.take(), count };
  }

  private post(member: Member, message: MainToSegmentWorker, transfer: ArrayBuffer[] = []): void {
    member.worker.postMessage(message, transfer);
  }

  private onReply(index: number, member: Member, reply: SegmentWorkerReply): void {
    const output: Output = { ndjson: reply.exchanges, count: reply.count };
    member.openFlows = reply.openFlows;
    if (reply.type === 'segments') {
      this.sequencer.addChunk(index, this.sequencerSeq(index), output);
    } else if (reply.type === 'stop') {
      const stopped = reply.stopped ?? { openFlows: 0, tlsServerNames: [] };
      member.stopped = { ...stopped, counters: reply.counters ?? {} };
      this.sequencer.finish(index, this.posted, output);
    }
    this.pump();
  }

  /** The chunk a worker's next segments reply answers (replies come in the order chunks were posted). */
  private sequencerSeq(index: number): number {
    const seq = this.replies[index]!;
    this.replies[index] = seq + 1;
    return seq;
  }

  /** Writes whatever is next in order, until the output pushes back or the next answer is not here yet. */
  private pump(): void {
    if (this.blocked || this.failure !== undefined) return;
    const out = this.options.output;
    for (let next = this.sequencer.next(); next !== undefined; next = this.sequencer.next()) {
      const { worker, seq, item } = next;
      this.written += item.count;
      if (seq !== undefined && worker === this.options.shards - 1) {
        this.writtenChunks = seq + 1;
        this.wakeReader();
      }
      const bytes = item.ndjson;
      if (bytes !== undefined && !out.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) {
        this.blocked = true;
        out.once('drain', () => {
          this.blocked = false;
          this.pump();
        });
        return;
      }
    }
    if (this.sequencer.ended && this.finished !== undefined) this.resolveFinished();
  }

  private wakeReader(): void {
    if (this.wake === undefined || this.posted - this.writtenChunks > this.options.credit) return;
    const wake = this.wake;
    this.wake = undefined;
    wake.resolve();
  }

  private resolveFinished(): void {
    const finished = this.finished!;
    this.finished = undefined;
    this.options.output.off('error', this.onOutputError);
    const ends = [this.localEnd!, ...this.members.map((m) => m.stopped!)];
    const counters: Record<string, number> = {};
    let openFlowsAtEnd = 0;
    for (const end of ends) {
      openFlowsAtEnd += end.openFlows;
      for (const [name, n] of Object.entries(end.counters)) counters[name] = (counters[name] ?? 0) + n;
    }
    const tlsServerNames = mergeTlsServerNames(ends.map((end) => end.tlsServerNames));
    finished.resolve({ exchanges: this.written, openFlowsAtEnd, counters, tlsServerNames });
  }

  private readonly onOutputError = (err: Error): void => this.fail(err);

  private fail(err: Error): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    for (const m of this.members) void m.worker.terminate();
    this.options.output.off('error', this.onOutputError);
    const wake = this.wake;
    this.wake = undefined;
    wake?.reject(err);
    const finished = this.finished;
    this.finished = undefined;
    finished?.reject(err);
  }
}
