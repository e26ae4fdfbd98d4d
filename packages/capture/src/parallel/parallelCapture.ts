// Flow-sharded parallel capture: this thread reads the files and decodes every packet; worker
// threads each reassemble and parse a share of the connections and serialise their exchanges to
// NDJSON, which is written here in a deterministic order (see workerShards.ts).
import type { Writable } from 'node:stream';
import { Counters, createActorKeyOptions, createRedactor } from '@sidetap/core';
import type { ActorConfig } from '@sidetap/core';
import type { CaptureConfig } from '../captureConfig';
import { readCapture } from '../capturePipeline';
import type { CaptureProgress, CaptureSummary } from '../capturePipeline';
import { WorkerShards } from './workerShards';

export interface ParallelCaptureOptions {
  config: CaptureConfig;
  /** The redaction key's bytes, handed to each worker; never logged. */
  redactionKey: Uint8Array;
  /**
   * The `actor` config section (plain data: each worker makes its own actor-key options from it);
   * default: core's defaults.
   */
  actor?: ActorConfig;
  /** Threads, each reassembling one shard of the flows (at least 1): this one and `workers - 1` worker threads. */
  workers: number;
  /** Receives the exchanges as NDJSON (one ECS JSON document per line). */
  output: Writable;
  /** Read for the file named `-` (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Progress of the read, with the exchanges written so far. */
  onProgress?: (progress: CaptureProgress) => void;
  /** Chunks (about 1 MB of input each) the read may run ahead of what has been written. */
  creditChunks?: number;
}

const DEFAULT_CREDIT_CHUNKS = 4;

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
  const shards = new WorkerShards({
    config: shardConfig(options.config, count),
    redactionKey: options.redactionKey,
    actor: options.actor,
    shards: count,
    output: options.output,
    credit,
  });
  const { stdin, onProgress } = options;
  return readCapture(files, shards, { config: options.config, counters: new Counters(), ...(stdin ? { stdin } : {}), ...(onProgress ? { onProgress } : {}) });
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
