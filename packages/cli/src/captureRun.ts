// Runs the capture stage over files for a command: redaction key, progress on a terminal, and
// the summary that every run prints, whether it ended well or at a broken file.
import type { Writable } from 'node:stream';
import { createRedactor } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { captureFiles, captureFilesParallel } from '@sidetap/capture';
import type { CaptureConfig, CaptureSummary } from '@sidetap/capture';
import { ProgressLine } from './progress';
import { loadRedactionKey } from './redactionKey';

type Stderr = NodeJS.WriteStream | { isTTY?: boolean; write(s: string): boolean };

export interface CaptureRunOptions {
  config: CaptureConfig;
  storeDir: string;
  onExchange: (exchange: HttpExchange) => void;
  drain?: () => Promise<void>;
  stderr: Stderr;
}

export interface ParallelCaptureRunOptions {
  config: CaptureConfig;
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
  const redactor = createRedactor({ key: loadRedactionKey(options.storeDir), extraHeaders: options.config.redactHeaders });
  return timedWithProgress(options.stderr, (progress) =>
    captureFiles(files, {
      config: options.config,
      redactor,
      onExchange: options.onExchange,
      ...(options.drain ? { drain: options.drain } : {}),
      onProgress: (p) => progress.update(p),
    }),
  );
}

/** runCapture split across worker threads by flow; the workers write NDJSON themselves. */
export async function runParallelCapture(files: readonly string[], options: ParallelCaptureRunOptions): Promise<CaptureRunResult> {
  const redactionKey = loadRedactionKey(options.storeDir);
  return timedWithProgress(options.stderr, (progress) =>
    captureFilesParallel(files, {
      config: options.config,
      redactionKey,
      workers: options.workers,
      output: options.output,
      onProgress: (p) => progress.update(p),
    }),
  );
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
