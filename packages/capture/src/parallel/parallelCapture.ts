// Flow-sharded parallel capture, the main thread's side: starts one worker per shard, writes
// their NDJSON to the output in a deterministic order (see ChunkSequencer), grants each worker
// credit as its chunks are written, honours the output's backpressure, and merges the summaries.
import type { Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { createActorKeyOptions, createRedactor } from '@sidetap/core';
import type { ActorConfig } from '@sidetap/core';
import type { CaptureConfig } from '../captureConfig';
import type { CaptureProgress, CaptureSummary } from '../capturePipeline';
import { ChunkSequencer } from './chunkSequencer';
import { mergeWorkerSummaries } from './summaryMerge';
import { startCaptureWorker } from './workerEntry';
import type { CreditMessage, WorkerSummary, WorkerToMainMessage } from './workerMessages';

export interface ParallelCaptureOptions {
  config: CaptureConfig;
  /** The redaction key's bytes, handed to each worker; never logged. */
  redactionKey: Uint8Array;
  /**
   * The `actor` config section (plain data: each worker makes its own actor-key options from it);
   * default: core's defaults.
   */
  actor?: ActorConfig;
  /** Worker threads, each reassembling one shard of the flows (at least 1). */
  workers: number;
  /** Receives the exchanges as NDJSON (one ECS JSON document per line). */
  output: Writable;
  /** Progress of the read (worker 0's), with the exchanges written so far. */
  onProgress?: (progress: CaptureProgress) => void;
  /** Chunks (about 1 MB of input each) a worker may run ahead of what has been written. */
  creditChunks?: number;
}

const DEFAULT_CREDIT_CHUNKS = 4;

interface ChunkOutput {
  ndjson: Uint8Array | undefined;
  exchanges: number;
  progress: CaptureProgress | undefined;
}

/**
 * captureFiles split across worker threads by flow, writing NDJSON to `options.output`. Resolves
 * with the summary a single-threaded run gives (a broken file is reported in it, after every
 * exchange before the fault was written); rejects if a worker fails or the output breaks. Throws
 * before any worker starts on bad options, a ConfigError naming the option for an unusable key file.
 */
export function captureFilesParallel(files: readonly string[], options: ParallelCaptureOptions): Promise<CaptureSummary> {
  const count = options.workers;
  const credit = options.creditChunks ?? DEFAULT_CREDIT_CHUNKS;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`workers must be a positive integer, got ${count}`);
  if (!Number.isInteger(credit) || credit < 1) throw new RangeError(`creditChunks must be a positive integer, got ${credit}`);
  // The workers load the JWT keys themselves; loading them here first makes a bad file one
  // ConfigError at start-up rather than a failure in every worker.
  if (options.actor !== undefined) createActorKeyOptions(options.actor, createRedactor({ key: Buffer.from(options.redactionKey) }));
  const out = options.output;

  return new Promise<CaptureSummary>((resolve, reject) => {
    const sequencer = new ChunkSequencer<ChunkOutput>(count);
    const summaries: Array<WorkerSummary | undefined> = new Array<WorkerSummary | undefined>(count).fill(undefined);
    const workers: Worker[] = [];
    let settled = false;
    let blocked = false;
    let written = 0;

    const settle = (): void => {
      settled = true;
      out.off('error', fail);
      for (const worker of workers) void worker.terminate();
    };
    function fail(err: Error): void {
      if (settled) return;
      settle();
      reject(err);
    }

    /** Writes whatever is next in order, until the output pushes back or the next item is not here yet. */
    const pump = (): void => {
      if (settled || blocked) return;
      for (let next = sequencer.next(); next !== undefined; next = sequencer.next()) {
        const { worker, seq, item } = next;
        written += item.exchanges;
        if (seq !== undefined) {
          const grant: CreditMessage = { type: 'credit', upTo: seq + 1 + credit };
          workers[worker]?.postMessage(grant);
        }
        if (item.progress !== undefined) options.onProgress?.({ ...item.progress, exchanges: written });
        const bytes = item.ndjson;
        if (bytes !== undefined && !out.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) {
          blocked = true;
          out.once('drain', () => {
            blocked = false;
            pump();
          });
          return;
        }
      }
      if (sequencer.ended) {
        const all = summaries.filter((s): s is WorkerSummary => s !== undefined);
        settle();
        resolve(mergeWorkerSummaries(all));
      }
    };

    const onMessage = (index: number, message: WorkerToMainMessage): void => {
      if (message.type === 'chunk') {
        sequencer.addChunk(index, message.seq, { ndjson: message.ndjson, exchanges: message.exchanges, progress: message.progress });
      } else {
        summaries[index] = message.summary;
        sequencer.finish(index, message.chunks, { ndjson: message.ndjson, exchanges: message.exchanges, progress: undefined });
      }
      pump();
    };

    out.on('error', fail);
    try {
      const redactionKey = Uint8Array.from(options.redactionKey);
      for (let index = 0; index < count; index++) {
        const worker = startCaptureWorker({
          files: [...files],
          config: shardConfig(options.config, count),
          redactionKey,
          actor: options.actor,
          shard: { index, count },
          creditChunks: credit,
          reportProgress: index === 0,
        });
        workers.push(worker);
        worker.on('message', (message: WorkerToMainMessage) => {
          try {
            onMessage(index, message);
          } catch (err) {
            fail(err as Error);
          }
        });
        worker.on('error', (err: Error) => fail(new Error(`capture worker ${index} failed: ${err.message}`, { cause: err })));
        worker.on('messageerror', (err: Error) => fail(new Error(`capture worker ${index} sent a message that could not be read: ${err.message}`)));
        worker.on('exit', (code: number) => {
          if (summaries[index] === undefined) fail(new Error(`capture worker ${index} exited with code ${code} before finishing`));
        });
      }
    } catch (err) {
      fail(err as Error);
    }
  });
}

/**
 * Limits shared by all connections are split between the workers, so W workers together hold no
 * more state than one would: flows hash evenly over shards. Per-connection limits stay as they are.
 */
export function shardConfig(config: CaptureConfig, workers: number): CaptureConfig {
  return {
    ...config,
    maxFlows: Math.max(1, Math.ceil(config.maxFlows / workers)),
    tcpRetainTotalBytes: Math.floor(config.tcpRetainTotalBytes / workers),
    // At least 1: the schema requires a positive value (unlike tcpRetainTotalBytes, 0 is not "off").
    tcpBufferedTotalBytes: Math.max(1, Math.floor(config.tcpBufferedTotalBytes / workers)),
    httpSampleTotalBytes: Math.floor(config.httpSampleTotalBytes / workers),
  };
}
