// Loads the capture limits from a JSON config file (`--config`), validated by the capture schema.
// Issue 3 replaces this with the full YAML/JSON config and SIDETAP_* overrides.
import { readFileSync } from 'node:fs';
import { captureConfigSchema, defaultCaptureConfig } from '@sidetap/capture';
import type { CaptureConfig } from '@sidetap/capture';
import { UsageError } from './usageError';

export function loadCaptureConfig(file: string | undefined): CaptureConfig {
  if (file === undefined) return defaultCaptureConfig();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message.replace(/\.$/, '')}.`);
  }
  const section = raw !== null && typeof raw === 'object' && 'capture' in raw ? (raw as { capture: unknown }).capture : {};
  const parsed = captureConfigSchema.safeParse(section ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = ['capture', ...(issue?.path ?? [])].join('.');
    throw new UsageError(`${file}: ${key}: ${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}
