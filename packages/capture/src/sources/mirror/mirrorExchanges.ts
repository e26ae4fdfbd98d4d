// Turns parsed mirror records into HttpExchanges through the message-level builder, with one
// HttpContext per gateway format (sidetap.capture.source) sharing limits, telemetry, redaction
// and the body sample budget, as the packet path's connections share theirs.
import { BoundedTally, Counters } from '@sidetap/core';
import type { ActorKeyOptions, CaptureSource, HttpExchange, Redactor } from '@sidetap/core';
import type { CaptureConfig } from '../../captureConfig';
import { ActorMemo } from '../../http/actorMemo';
import type { HttpContext } from '../../http/httpContext';
import { buildMessageExchange } from '../../http/messageExchange';
import type { ExchangeParts, MessageMemos } from '../../http/messageExchange';
import { RedactionMemo } from '../../http/redactionMemo';
import { SampleBudget } from '../../http/sampleBudget';

export type MirrorFormat = 'kong' | 'envoy' | 'nginx' | 'native' | 'har';

const SOURCES: Record<MirrorFormat, CaptureSource> = {
  kong: 'mirror:kong',
  envoy: 'mirror:envoy',
  nginx: 'mirror:nginx',
  native: 'mirror:native',
  har: 'mirror:har',
};

export interface MirrorExchangeOptions {
  config: CaptureConfig;
  redactor: Redactor;
  /** How actor keys are worked out (core's createActorKeyOptions); default: core's defaults with `redactor`. */
  actor?: ActorKeyOptions | undefined;
  counters?: Counters | undefined;
}

export class MirrorExchanges {
  readonly counters: Counters;
  private readonly contexts: Record<MirrorFormat, HttpContext>;
  private readonly actor: ActorKeyOptions;

  constructor(private readonly options: MirrorExchangeOptions) {
    this.counters = options.counters ?? new Counters();
    this.actor = options.actor ?? { redactor: options.redactor };
    const shared = {
      config: options.config,
      counters: this.counters,
      redactor: options.redactor,
      actor: this.actor,
      file: undefined,
      tlsServerNames: new BoundedTally(1),
      sampleBudget: new SampleBudget(options.config.httpSampleTotalBytes),
      // buildMessageExchange returns the exchange; nothing is emitted through the context.
      emit: () => undefined,
    };
    this.contexts = {
      kong: { ...shared, source: SOURCES.kong },
      envoy: { ...shared, source: SOURCES.envoy },
      nginx: { ...shared, source: SOURCES.nginx },
      native: { ...shared, source: SOURCES.native },
      har: { ...shared, source: SOURCES.har },
    };
  }

  /** Memos for one sender connection (or one file): its records repeat the same credentials. */
  memos(): MessageMemos {
    return { redaction: new RedactionMemo(this.options.redactor), actor: new ActorMemo(this.actor) };
  }

  build(format: MirrorFormat, parts: ExchangeParts, memos: MessageMemos): HttpExchange {
    const exchange = buildMessageExchange(parts, this.contexts[format], memos);
    const counters = this.counters;
    counters.inc('capture_exchanges_emitted_total');
    for (const flag of exchange.sidetap.capture.flags) counters.inc(`capture_http_flags_total{flag="${flag}"}`);
    return exchange;
  }
}
