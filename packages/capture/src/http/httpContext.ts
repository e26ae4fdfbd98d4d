// What every HTTP connection parser shares: limits, telemetry, redaction and where exchanges go.
import type { ActorKeyOptions, BoundedTally, CaptureSource, Counters, HttpExchange, Redactor } from '@sidetap/core';
import type { CaptureConfig } from '../captureConfig';
import type { SampleBudget } from './sampleBudget';

export interface HttpContext {
  config: CaptureConfig;
  counters: Counters;
  redactor: Redactor;
  /** How sidetap.actor_key is worked out from a request's credentials. */
  actor: ActorKeyOptions;
  source: CaptureSource;
  /** Capture file name recorded in sidetap.capture.file, when reading a file. */
  file: string | undefined;
  /** TLS server names (SNI) of connections skipped as TLS. */
  tlsServerNames: BoundedTally;
  /** Raw body samples held across all connections (config.httpSampleTotalBytes). */
  sampleBudget: SampleBudget;
  emit(exchange: HttpExchange): void;
}
