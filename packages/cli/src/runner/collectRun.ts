// `sidetap collect`'s capture side: starts its sources, feeds their exchanges into a runner's
// sink, and stops on a signal, after --duration or --max-exchanges, or when a stage or source
// fails; then every source flushes what it holds and the merged summary is returned. A live link
// cannot be made to wait, so exchanges past the backlog bound (pipeline.collectBacklog) are
// dropped and counted; the mirror listener, which can make its senders wait, gets 429s from half
// that bound.
import type { HttpExchange } from '@sidetap/core';
import { Counters } from '@sidetap/core';
import { readEncodedExchanges } from '@sidetap/capture';
import type { CaptureSummary, EncodedExchangeBatch } from '@sidetap/capture';
import type { CaptureRunResult } from '../captureRun';
import type { SidetapConfig } from '../sidetapConfig';
import type { CaptureSink } from './captureSink';
import { CollectStatus } from './collectStatus';
import { startCollectSources } from './collectSources';
import type { CollectSourceSpec, RunningSource } from './collectSources';

export const COLLECT_EXCHANGES_DROPPED = 'capture_exchanges_dropped_total{reason="pipeline_backlog"}';
const TLS_SERVER_NAMES_SHOWN = 20;

export interface CollectRunOptions {
  specs: readonly CollectSourceSpec[];
  config: SidetapConfig;
  redactionKey: Buffer;
  workers: number;
  stderr: { isTTY?: boolean; write(s: string): boolean };
  /** Resolves (with the signal's name) when the process is asked to stop. */
  stopSignal: Promise<string>;
  durationMs?: number | undefined;
  maxExchanges?: number | undefined;
  /** Told each source's description once all are running (the summary names them). */
  onStarted?: ((labels: string[]) => void) | undefined;
}

export async function runCollect(sink: CaptureSink, options: CollectRunOptions): Promise<CaptureRunResult> {
  const counters = new Counters();
  // Exchanges taken from the sources and not yet on the bus, at most (then dropped, counted).
  const maxBacklog = options.config.pipeline.collectBacklog;
  let exchanges = 0;
  let stopWith: (why: string) => void = () => undefined;
  let failWith: (err: Error) => void = () => undefined;
  const stopRequested = new Promise<string>((resolve, reject) => {
    stopWith = resolve;
    failWith = reject;
  });
  stopRequested.catch(() => undefined);

  // One drain loop at a time; it runs until the backlog is empty. A failed drain (the bus is
  // gone) stops collection with its error.
  let pumping = false;
  let pumped: Promise<void> = Promise.resolve();
  let drainError: Error | undefined;
  const pump = (): void => {
    if (pumping || drainError !== undefined) return;
    pumping = true;
    pumped = (async () => {
      try {
        while (sink.backlog() > 0) await sink.drain();
      } catch (err) {
        drainError = err as Error;
        failWith(drainError);
      } finally {
        pumping = false;
      }
    })();
  };
  /** Counts an exchange in, or drops it (counted) when the backlog is full. */
  const admit = (): boolean => {
    if (sink.backlog() >= maxBacklog) {
      counters.inc(COLLECT_EXCHANGES_DROPPED);
      return false;
    }
    exchanges += 1;
    return true;
  };
  const admitted = (): void => {
    pump();
    if (options.maxExchanges !== undefined && exchanges >= options.maxExchanges) stopWith('max-exchanges');
  };
  const onExchange = (ex: HttpExchange): void => {
    if (!admit()) return;
    sink.onExchange(ex);
    admitted();
  };
  // With workers, and a sink that sends records on as they are (Kafka), the packet sources hand
  // over what their workers encoded: this thread never builds those exchanges. Same bound, counts
  // and stop as objects.
  const sinkEncoded = sink.onEncoded;
  const onEncoded =
    sinkEncoded === undefined || options.workers === 0
      ? undefined
      : (batch: EncodedExchangeBatch): void =>
          readEncodedExchanges(batch, (key, tsMs, bytes) => {
            if (!admit()) return;
            sinkEncoded(key, tsMs, bytes);
            admitted();
          });

  const started = process.hrtime.bigint();
  const sources = await startCollectSources(options.specs, {
    config: options.config,
    redactionKey: options.redactionKey,
    workers: options.workers,
    onExchange,
    onEncoded,
    accepting: () => sink.backlog() < maxBacklog / 2,
    onError: (err) => failWith(err),
  });
  const labels = sources.map((s) => s.label);
  options.onStarted?.(labels);
  options.stderr.write(`sidetap collect: ${labels.join(', ')}; SIGINT (Ctrl-C) or SIGTERM stops and flushes.\n`);
  const status = new CollectStatus(options.stderr, () => ({ exchanges, packets: sumOf(sources, (s) => s.packets()), counters: merged(sources, counters) }));
  const timer = options.durationMs === undefined ? undefined : setTimeout(() => stopWith('duration'), options.durationMs);

  let summaries: CaptureSummary[];
  try {
    await Promise.race([stopRequested, options.stopSignal, sink.failed]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    status.stop();
    // Each source emits what its open connections hold; those exchanges go to the bus too.
    summaries = await Promise.all(sources.map((s) => s.stop()));
  }
  do {
    pump();
    await pumped;
  } while (sink.backlog() > 0 && drainError === undefined);
  if (drainError !== undefined) throw drainError;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { summary: mergeSummaries(summaries, counters.snapshot()), seconds };
}

function sumOf(sources: readonly RunningSource[], f: (s: RunningSource) => number): number {
  let n = 0;
  for (const s of sources) n += f(s);
  return n;
}

function merged(sources: readonly RunningSource[], own: Counters): Record<string, number> {
  const out: Record<string, number> = { ...own.snapshot() };
  for (const s of sources) for (const [name, n] of Object.entries(s.counters())) out[name] = (out[name] ?? 0) + n;
  return out;
}

/** One summary for all sources: counts and counters summed (each source has its own flow table). */
function mergeSummaries(summaries: readonly CaptureSummary[], own: Record<string, number>): CaptureSummary {
  const counters: Record<string, number> = { ...own };
  const names = new Map<string, number>();
  const total = { packets: 0, fileBytes: 0, exchanges: 0, openFlowsAtEnd: 0 };
  for (const s of summaries) {
    total.packets += s.packets;
    total.fileBytes += s.fileBytes;
    total.exchanges += s.exchanges;
    total.openFlowsAtEnd += s.openFlowsAtEnd;
    for (const [name, n] of Object.entries(s.counters)) counters[name] = (counters[name] ?? 0) + n;
    for (const [name, n] of s.tlsServerNames) names.set(name, (names.get(name) ?? 0) + n);
  }
  const sorted = Object.fromEntries(Object.entries(counters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    files: 0,
    ...total,
    counters: sorted,
    tlsServerNames: [...names.entries()].sort((a, b) => b[1] - a[1]).slice(0, TLS_SERVER_NAMES_SHOWN),
    fault: undefined,
  };
}
