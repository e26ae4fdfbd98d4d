// Runs the capture stage over files for a command: redaction key, progress on a terminal, and
// the summary that every run prints, whether it ended well or at a broken file.
import type { Writable } from 'node:stream';
import { ConfigError, createActorKeyOptions, createRedactor } from '@sidetap/core';
import type { ActorConfig, HttpExchange } from '@sidetap/core';
import { captureFilesParallel } from '@sidetap/capture';
import type { CaptureConfig, CaptureSummary } from '@sidetap/capture';
import { ProgressLine } from './progress';
import { captureInputs } from './runner/captureInputs';
import { loadRedactionKey } from './redactionKey';
import { UsageError } from './usageError';

type Stderr = NodeJS.WriteStream | { isTTY?: boolean; write(s: string): boolean };

export interface CaptureRunOptions {
  config: CaptureConfig;
  /** The `actor` config section: which credentials name an actor, how bearer JWTs are verified. */
  actor: ActorConfig;
  storeDir: string;
  onExchange: (exchange: HttpExchange) => void;
  drain?: () => Promise<void>;
  stderr: Stderr;
}

export interface ParallelCaptureRunOptions {
  config: CaptureConfig;
  actor: ActorConfig;
  storeDir: string;
  /** Worker threads, each reassembling one shard of the flows. */
  workers: number;
  /** Receives the exchanges as NDJSON. */
  output: Writable;
  stderr: Stderr;
}

export interface CaptureRunResult {
  summary: CaptureSummary;
  seconds: number;
}

export async function runCapture(files: readonly string[], options: CaptureRunOptions): Promise<CaptureRunResult> {
  // A header or cookie that names the actor carries a secret: its value is hashed in the exchange too (the
  // capture workers of runParallelCapture do the same).
  const extraHeaders = [...options.config.redactHeaders, ...options.actor.apiKeyHeaders];
  const redactor = createRedactor({ key: loadRedactionKey(options.storeDir), extraHeaders, secretCookies: options.actor.sessionCookies });
  const actor = asUsageError(() => createActorKeyOptions(options.actor, redactor));
  return timedWithProgress(options.stderr, (progress) =>
    captureInputs(files, {
      config: options.config,
      redactor,
      actor,
      onExchange: options.onExchange,
      ...(options.drain ? { drain: options.drain } : {}),
      onProgress: (p) => progress.update(p),
      // A HAR entry that cannot be read is skipped; the operator is told which (the count is in the summary).
      onRecordFault: (message) => {
        progress.clear();
        options.stderr.write(`${message}\n`);
      },
    }),
  );
}

/** runCapture split across worker threads by flow; the workers write NDJSON themselves. */
export async function runParallelCapture(files: readonly string[], options: ParallelCaptureRunOptions): Promise<CaptureRunResult> {
  const redactionKey = loadRedactionKey(options.storeDir);
  return timedWithProgress(options.stderr, (progress) =>
    asUsageError(() =>
      captureFilesParallel(files, {
        config: options.config,
        actor: options.actor,
        redactionKey,
        workers: options.workers,
        output: options.output,
        onProgress: (p) => progress.update(p),
      }),
    ),
  );
}

/**
 * An actor key file that cannot be used is bad start-up configuration: its ConfigError (one
 * sentence naming the file and `actor.jwt.keyFile` or `actor.jwt.jwksFile`) becomes exit status 2.
 */
function asUsageError<T>(start: () => T): T {
  try {
    return start();
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

async function timedWithProgress(stderr: Stderr, run: (progress: ProgressLine) => Promise<CaptureSummary>): Promise<CaptureRunResult> {
  const progress = new ProgressLine(stderr);
  const started = process.hrtime.bigint();
  let summary: CaptureSummary;
  try {
    summary = await run(progress);
  } finally {
    progress.clear();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { summary, seconds };
}
