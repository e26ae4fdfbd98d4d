// The messages between a live source (or parallel file capture) and its segment workers, typed on both sides.
import type { ShardCaptureData } from '../../segmentCapture';
import type { CloseReason } from '../../tcp';
import type { EncodedExchangeBatch } from './encodedExchanges';

/**
 * How a worker hands its exchanges back: `objects` as JSON the source thread parses, `records`
 * already encoded for the sidetap.exchanges topic (encodedExchanges.ts), which the source thread
 * forwards without parsing, `ndjson` as lines ready to write (parallel file capture).
 */
export type SegmentWorkerOutput = 'objects' | 'records' | 'ndjson';

/** What a segment worker is started with (structured-cloned into it). */
export interface SegmentWorkerData extends ShardCaptureData {
  output: SegmentWorkerOutput;
}

/** A packed batch of segments (segmentBatch.ts), transferred. */
export interface SegmentsMessage {
  type: 'segments';
  buffer: ArrayBuffer;
  bytes: number;
  /** The capture file these segments came from (recorded in sidetap.capture.file); absent for live traffic. */
  file?: string | undefined;
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
  /**
   * With output `objects`: the completed exchanges as a UTF-8 JSON array; with `ndjson`: as UTF-8
   * NDJSON lines. Its buffer is transferred; undefined when there were none.
   */
  exchanges: Uint8Array | undefined;
  /** How many exchanges `exchanges` or `records` holds. */
  count: number;
  /** With output `records`: the completed exchanges encoded (its buffer transferred); undefined when there were none. */
  records: EncodedExchangeBatch | undefined;
  openFlows: number;
  /** The worker's counters, on tick and stop replies (every batch would cost a snapshot each). */
  counters: Record<string, number> | undefined;
  /** On the stop reply: the connections stop closed, and the TLS server names of connections skipped as TLS. */
  stopped: { openFlows: number; tlsServerNames: Array<[string, number]> } | undefined;
}
