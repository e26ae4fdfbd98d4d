// Runs the capture stage over files for a command: redaction key, progress on a terminal, and
// the summary that every run prints, whether it ended well or at a broken file.
import { createRedactor } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { captureFiles } from '@sidetap/capture';
import type { CaptureConfig, CaptureSummary } from '@sidetap/capture';
import { ProgressLine } from './progress';
import { loadRedactionKey } from './redactionKey';

export interface CaptureRunOptions {
  config: CaptureConfig;
  storeDir: string;
  onExchange: (exchange: HttpExchange) => void;
  drain?: () => Promise<void>;
  stderr: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): boolean };
}

export interface CaptureRunResult {
  summary: CaptureSummary;
  seconds: number;
}

export async function runCapture(files: readonly string[], options: CaptureRunOptions): Promise<CaptureRunResult> {
  const redactor = createRedactor({ key: loadRedactionKey(options.storeDir), extraHeaders: options.config.redactHeaders });
  const progress = new ProgressLine(options.stderr);
  const started = process.hrtime.bigint();
  let summary: CaptureSummary;
  try {
    summary = await captureFiles(files, {
      config: options.config,
      redactor,
      onExchange: options.onExchange,
      ...(options.drain ? { drain: options.drain } : {}),
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.clear();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { summary, seconds };
}
