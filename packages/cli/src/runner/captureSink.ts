// What a runner hands the capture side: where exchanges go and how the bus pushes back. Files
// await drain() between chunks; live sources, which cannot make a link wait, watch backlog() and
// drop (counted) past their bound, and the mirror listener answers 429 while it is high.
import type { HttpExchange } from '@sidetap/core';
import type { CaptureRunResult } from '../captureRun';

export interface CaptureSink {
  /** Takes one exchange, synchronously; drain() sends it on. */
  onExchange: (exchange: HttpExchange) => void;
  /**
   * Takes one exchange already encoded for sidetap.exchanges (actor key, request time in ms, the
   * record's bytes), synchronously. Only a sink that sends records on as they are offers it (the
   * distributed capture stage): live sources' workers then never hand this thread an object.
   */
  onEncoded?: ((key: string, tsMs: number, bytes: Uint8Array) => void) | undefined;
  /** Sends what was taken; it resolves when the bus has room, which is its backpressure. */
  drain: () => Promise<void>;
  /** Exchanges taken and not yet sent. */
  backlog: () => number;
  /** Rejects if a stage fails for good (embedded mode; never settles otherwise). */
  failed: Promise<never>;
}

/** Runs capture into the sink until it is done (files read, or live sources stopped). */
export type CaptureStart = (sink: CaptureSink) => Promise<CaptureRunResult>;
