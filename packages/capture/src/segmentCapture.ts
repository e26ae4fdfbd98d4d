// The segment half of capture: TCP reassembly and the HTTP parser over one flow table, and the
// context exchanges are built in. Capture files, live sources and the live segment workers all
// hand their decoded segments to one of these.
import { BoundedTally, Counters, createActorKeyOptions, createRedactor } from '@sidetap/core';
import type { ActorConfig, ActorKeyOptions, CaptureSource, HttpExchange, Redactor } from '@sidetap/core';
import type { CaptureConfig } from './captureConfig';
import type { TcpSegment } from './decode';
import { createHttpConsumer } from './http';
import type { HttpContext } from './http/httpContext';
import { SampleBudget } from './http/sampleBudget';
import { TcpReassembler } from './tcp';
import type { CloseReason } from './tcp';

const TLS_SNI_NAMES_KEPT = 1000;

/** Where a packet decoder hands its segments: this class, or something that ships them to one. */
export interface SegmentSink {
  onSegment(segment: TcpSegment): void;
  /** Capture time moved on without a segment for this sink (idle expiry runs on it). */
  advanceClock(tsUs: number): void;
  /** Closes every open connection, emitting what each still holds. */
  closeAll(reason: CloseReason, tsUs: number): void;
  readonly openFlows: number;
}

export interface SegmentCaptureOptions {
  config: CaptureConfig;
  counters?: Counters;
  redactor: Redactor;
  /** How sidetap.actor_key is worked out; default: core's defaults, hashing with `redactor`. */
  actor?: ActorKeyOptions;
  /** Recorded as sidetap.capture.source on every exchange. */
  source: CaptureSource;
  /** Receives every exchange, in the order connections complete them. */
  onExchange: (exchange: HttpExchange) => void;
}

export class SegmentCapture implements SegmentSink {
  readonly counters: Counters;
  private readonly ctx: HttpContext;
  private readonly tcp: TcpReassembler;
  private readonly tally = new BoundedTally(TLS_SNI_NAMES_KEPT);
  private emitted = 0;

  constructor(options: SegmentCaptureOptions) {
    const counters = options.counters ?? new Counters();
    this.counters = counters;
    const onExchange = options.onExchange;
    this.ctx = {
      config: options.config,
      counters,
      redactor: options.redactor,
      actor: options.actor ?? { redactor: options.redactor },
      source: options.source,
      file: undefined,
      tlsServerNames: this.tally,
      sampleBudget: new SampleBudget(options.config.httpSampleTotalBytes),
      emit: (exchange) => {
        this.emitted += 1;
        onExchange(exchange);
      },
    };
    this.tcp = new TcpReassembler(options.config, counters, (info) => createHttpConsumer(info, this.ctx));
  }

  /** Exchanges emitted so far. */
  get exchanges(): number {
    return this.emitted;
  }

  get openFlows(): number {
    return this.tcp.openFlows;
  }

  /** The capture file recorded in sidetap.capture.file from now on (undefined for live traffic). */
  setFile(file: string | undefined): void {
    this.ctx.file = file;
  }

  /** TLS server names of connections skipped as TLS, most seen first. */
  tlsServerNames(n: number): Array<[string, number]> {
    return this.tally.top(n);
  }

  onSegment(segment: TcpSegment): void {
    this.tcp.onSegment(segment);
  }

  advanceClock(tsUs: number): void {
    this.tcp.advanceClock(tsUs);
  }

  closeAll(reason: CloseReason, tsUs: number): void {
    this.tcp.closeAll(reason, tsUs);
  }

  /** closeAll, saying how many connections it closed and every TLS server name tallied (for a shard's summary). */
  closeAndReport(reason: CloseReason, tsUs: number): { openFlows: number; tlsServerNames: Array<[string, number]> } {
    const report = { openFlows: this.openFlows, tlsServerNames: this.tally.top() };
    this.closeAll(reason, tsUs);
    return report;
  }
}

/** What a capture's segment half is set up from, as plain data a worker thread can be given. */
export interface ShardCaptureData {
  /** For a shard of parallel capture: limits already split between the shards (parallel/parallelCapture.ts shardConfig). */
  config: CaptureConfig;
  /** The redaction key's bytes; never logged. */
  redactionKey: Uint8Array;
  /** The `actor` config section as plain data (KeyObjects cannot be posted); undefined: core's defaults. */
  actor: ActorConfig | undefined;
  source: CaptureSource;
}

/** A SegmentCapture made from plain data, the same way in every thread; with counters of its own unless given. */
export function createShardCapture(data: ShardCaptureData, onExchange: (exchange: HttpExchange) => void, counters = new Counters()): SegmentCapture {
  // A header or cookie that names the actor carries a secret: its value is hashed in the exchange too.
  const extraHeaders = [...data.config.redactHeaders, ...(data.actor?.apiKeyHeaders ?? [])];
  const redactor = createRedactor({ key: Buffer.from(data.redactionKey), extraHeaders, secretCookies: data.actor?.sessionCookies ?? [] });
  // The caller loaded the same key files before starting the shards, so a fault here is a file changed since.
  const actor = data.actor === undefined ? { redactor } : createActorKeyOptions(data.actor, redactor);
  return new SegmentCapture({ config: data.config, counters, redactor, actor, source: data.source, onExchange });
}
