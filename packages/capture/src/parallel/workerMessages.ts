// The messages between the main thread and the capture workers, typed on both sides.
import type { ActorConfig } from '@sidetap/core';
import type { CaptureConfig } from '../captureConfig';
import type { CaptureProgress, CaptureSummary } from '../capturePipeline';
import type { CaptureShard } from './shardFilter';

/** What a worker is started with (structured-cloned into it). */
export interface CaptureWorkerData {
  files: string[];
  config: CaptureConfig;
  /** The redaction key's bytes; never logged. */
  redactionKey: Uint8Array;
  /**
   * The `actor` config section as plain data: a JWT verifier holds KeyObjects, which cannot be
   * posted, so each worker loads the keys itself. Undefined: core's defaults.
   */
  actor: ActorConfig | undefined;
  shard: CaptureShard;
  /** Chunks the worker may post before main has written any (its initial credit). */
  creditChunks: number;
  /** Only one worker reports progress: all read the same bytes. */
  reportProgress: boolean;
}

/** A capture fault, as plain data (an Error's class does not survive postMessage). */
export interface CaptureFaultData {
  file: string;
  offset: number;
  reason: string;
}

export type WorkerSummary = Omit<CaptureSummary, 'fault'> & { fault: CaptureFaultData | undefined };

/** The NDJSON a worker produced during one chunk of input (possibly none). */
export interface ChunkMessage {
  type: 'chunk';
  seq: number;
  exchanges: number;
  /** UTF-8 NDJSON; its buffer is transferred, not copied. Undefined when the chunk gave nothing. */
  ndjson: Uint8Array | undefined;
  progress: CaptureProgress | undefined;
}

/** The worker's last output (exchanges flushed when the capture ended) and its summary. */
export interface DoneMessage {
  type: 'done';
  chunks: number;
  exchanges: number;
  ndjson: Uint8Array | undefined;
  summary: WorkerSummary;
}

export type WorkerToMainMessage = ChunkMessage | DoneMessage;

/** Main has written the worker's chunks before `upTo - creditChunks`: it may post chunks below `upTo`. */
export interface CreditMessage {
  type: 'credit';
  upTo: number;
}

export type MainToWorkerMessage = CreditMessage;
