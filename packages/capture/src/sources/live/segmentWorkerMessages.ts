// The messages between a live source and its segment workers, typed on both sides.
import type { ActorConfig, CaptureSource } from '@sidetap/core';
import type { CaptureConfig } from '../../captureConfig';
import type { CloseReason } from '../../tcp';
import type { EncodedExchangeBatch } from './encodedExchanges';

/**
 * How a worker hands its exchanges back: `objects` as JSON the source thread parses, `records`
 * already encoded for the sidetap.exchanges topic (encodedExchanges.ts), which the source thread
 * forwards without parsing.
 */
export type SegmentWorkerOutput = 'objects' | 'records';

/** What a segment worker is started with (structured-cloned into it). */
export interface SegmentWorkerData {
  /** Limits already split between the workers (parallel/parallelCapture.ts shardConfig). */
  config: CaptureConfig;
  /** The redaction key's bytes; never logged. */
  redactionKey: Uint8Array;
  /** The `actor` config section as plain data (KeyObjects cannot be posted); undefined: core's defaults. */
  actor: ActorConfig | undefined;
  source: CaptureSource;
  output: SegmentWorkerOutput;
}

/** A packed batch of segments (segmentBatch.ts), transferred. */
export interface SegmentsMessage {
  type: 'segments';
  buffer: ArrayBuffer;
  bytes: number;
}

/** The clock moved with no segment for this worker: idle connections expire on it. */
export interface TickMessage {
  type: 'tick';
  nowUs: number;
}

/** Close every connection, report, and end. */
export interface StopMessage {
  type: 'stop';
  reason: CloseReason;
  tsUs: number;
}

export type MainToSegmentWorker = SegmentsMessage | TickMessage | StopMessage;

/** Sent once, when the worker has loaded and set up and takes segments at its own pace. */
export interface SegmentWorkerReady {
  type: 'ready';
}

/** The answer to every message: the exchanges it completed, and the worker's state after it. */
export interface SegmentWorkerReply {
  type: 'segments' | 'tick' | 'stop';
  /** With output `objects`: the completed exchanges as a UTF-8 JSON array (its buffer transferred); undefined when there were none. */
  exchanges: Uint8Array | undefined;
  /** With output `records`: the completed exchanges encoded (its buffer transferred); undefined when there were none. */
  records: EncodedExchangeBatch | undefined;
  openFlows: number;
  /** The worker's counters, on tick and stop replies (every batch would cost a snapshot each). */
  counters: Record<string, number> | undefined;
}
