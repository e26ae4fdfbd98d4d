// Runs the capture stage in-process over files and collects the exchanges, for cross-stage tests.
import { createRedactor } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { captureConfigSchema, captureFiles } from '@sidetap/capture';
import type { CaptureConfig, CaptureSummary } from '@sidetap/capture';

export const TEST_REDACTION_KEY = Buffer.alloc(32, 0x5a);

export async function captureToArray(
  files: string[],
  overrides: Partial<CaptureConfig> = {},
): Promise<{ exchanges: HttpExchange[]; summary: CaptureSummary }> {
  const exchanges: HttpExchange[] = [];
  const summary = await captureFiles(files, {
    config: captureConfigSchema.parse(overrides),
    redactor: createRedactor({ key: TEST_REDACTION_KEY }),
    onExchange: (ex) => exchanges.push(ex),
  });
  return { exchanges, summary };
}

/** A config whose body samples hold whole bodies, so tests can compare body hashes. */
export const WHOLE_BODIES: Partial<CaptureConfig> = {
  bodySampleBytes: 8 << 20,
  bodyRawSampleBytes: 8 << 20,
  decompressMaxBytes: 16 << 20,
};
