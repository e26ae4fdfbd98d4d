// The sources `sidetap collect` runs side by side, each started from its flags and stopped with a
// summary: a live interface (libpcap), VXLAN and GENEVE listeners (cloud mirroring) and the
// gateway mirror listener. A source that cannot start is one sentence naming its flag (exit 2),
// after the sources already started are stopped again.
import { ConfigError, createActorKeyOptions, createRedactor } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { CaptureSourceError, startLiveCapture, startMirrorServer, startTunnelListener } from '@sidetap/capture';
import type { CaptureSummary, EncodedExchangeBatch, MirrorTls } from '@sidetap/capture';
import type { SidetapConfig } from '../sidetapConfig';
import { UsageError } from '../usageError';

export type CollectSourceSpec =
  | { kind: 'live'; iface: string; bpf?: string | undefined; snaplen?: number | undefined; bufferSizeMb?: number | undefined }
  | { kind: 'vxlan' | 'geneve'; host: string; port: number }
  | { kind: 'mirror'; host: string; port: number; token?: string | undefined; tls?: MirrorTls | undefined };

export interface RunningSource {
  /** How it is described to the operator: `live lo`, `vxlan 127.0.0.1:4789`, ... */
  readonly label: string;
  readonly packets: () => number;
  /** Every counter the source keeps, by name (decoding, reassembly, its own drops). */
  readonly counters: () => Record<string, number>;
  /** Stops taking traffic, emits what it still holds, and summarises. */
  stop(): Promise<CaptureSummary>;
}

export interface CollectSourcesOptions {
  config: SidetapConfig;
  redactionKey: Buffer;
  /** Worker threads per packet source (0: reassembly on the main thread). */
  workers: number;
  onExchange: (exchange: HttpExchange) => void;
  /** When set, the packet sources hand their exchanges over encoded, here (the mirror listener keeps onExchange). */
  onEncoded?: ((batch: EncodedExchangeBatch) => void) | undefined;
  /** False while the pipeline is saturated: the mirror listener answers 429 then. */
  accepting: () => boolean;
  /** A packet source's worker thread failed: collection should stop. */
  onError: (err: Error) => void;
}

/** Starts every source; if one cannot start, the others are stopped and its error thrown. */
export async function startCollectSources(specs: readonly CollectSourceSpec[], options: CollectSourcesOptions): Promise<RunningSource[]> {
  const running: RunningSource[] = [];
  try {
    for (const spec of specs) running.push(await startSource(spec, options));
    return running;
  } catch (err) {
    await Promise.allSettled(running.map((s) => s.stop()));
    if (err instanceof CaptureSourceError || err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

async function startSource(spec: CollectSourceSpec, options: CollectSourcesOptions): Promise<RunningSource> {
  const { config } = options;
  const engine = {
    config: config.capture,
    redactionKey: options.redactionKey,
    actor: config.actor,
    ...(options.onEncoded === undefined ? { onExchange: options.onExchange } : { onEncoded: options.onEncoded }),
    workers: options.workers,
    onError: options.onError,
  };
  switch (spec.kind) {
    case 'live': {
      const live = startLiveCapture({ ...engine, iface: spec.iface, bpf: spec.bpf, snaplen: spec.snaplen, bufferSizeMb: spec.bufferSizeMb });
      // Announced as running once its workers have loaded, not while they still start.
      await live.engine.ready();
      return {
        label: `live ${spec.iface}${spec.bpf === undefined ? '' : ` (${spec.bpf})`}`,
        packets: () => live.engine.packetCount,
        counters: () => live.engine.snapshot(),
        stop: () => live.stop(),
      };
    }
    case 'vxlan':
    case 'geneve': {
      const listener = await startTunnelListener({ ...engine, kind: spec.kind, host: spec.host, port: spec.port });
      await listener.engine.ready();
      const { host, port } = listener.address();
      return {
        label: `${spec.kind} ${host.includes(':') ? `[${host}]` : host}:${port}`,
        packets: () => listener.engine.packetCount,
        counters: () => listener.engine.snapshot(),
        stop: () => listener.stop(),
      };
    }
    case 'mirror':
      return startMirror(spec, options);
  }
}

async function startMirror(spec: Extract<CollectSourceSpec, { kind: 'mirror' }>, options: CollectSourcesOptions): Promise<RunningSource> {
  const { config } = options;
  // A header or cookie that names the actor carries a secret: its value is hashed in the exchange too.
  const extraHeaders = [...config.capture.redactHeaders, ...config.actor.apiKeyHeaders];
  const redactor = createRedactor({ key: options.redactionKey, extraHeaders, secretCookies: config.actor.sessionCookies });
  const actor = createActorKeyOptions(config.actor, redactor);
  const where = `${spec.host.includes(':') ? `[${spec.host}]` : spec.host}:${spec.port}`;
  let exchanges = 0;
  let server;
  try {
    server = await startMirrorServer({
      host: spec.host,
      port: spec.port,
      token: spec.token,
      tls: spec.tls,
      config: config.capture,
      redactor,
      actor,
      onExchange: (ex) => {
        exchanges += 1;
        options.onExchange(ex);
      },
      accepting: options.accepting,
    });
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const message = (err as Error).message;
    throw new UsageError(
      /EADDRINUSE/.test(message) ? `--mirror-http ${where}: the port is already in use by another process.` : `--mirror-http ${where}: ${message.replace(/\.$/, '')}.`,
    );
  }
  const mirror = server;
  let summary: Promise<CaptureSummary> | undefined;
  return {
    label: `mirror-http ${mirror.url}`,
    packets: () => 0,
    counters: () => mirror.counters.snapshot(),
    stop(): Promise<CaptureSummary> {
      summary ??= mirror.close().then(() => ({
        files: 0,
        packets: 0,
        fileBytes: 0,
        exchanges,
        openFlowsAtEnd: 0,
        counters: mirror.counters.snapshot(),
        tlsServerNames: [],
        fault: undefined,
      }));
      return summary;
    },
  };
}
