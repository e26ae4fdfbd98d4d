// How many worker threads `sidetap capture` uses. Each worker starts in ~50-100 ms, so small
// inputs run in one thread unless --workers asks otherwise.
import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { STDIN_FILE } from '@sidetap/capture';
import { UsageError } from './usageError';

export const MAX_DEFAULT_WORKERS = 4;
export const MAX_WORKERS = 64;
/** Inputs below this many bytes (on disk) run single-threaded when --workers is not given. */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

/** Workers for a run: 1 is the single-threaded path. */
export function chooseCaptureWorkers(option: string | undefined, files: readonly string[]): number {
  if (option !== undefined) {
    const n = /^\d+$/.test(option) ? Number(option) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) {
      throw new UsageError(`sidetap capture: --workers must be a whole number from 1 to ${MAX_WORKERS}, got "${option}".`);
    }
    return n;
  }
  // Its size is not known beforehand: a piped capture runs in one thread unless --workers asks.
  if (files.includes(STDIN_FILE)) return 1;
  const total = files.reduce((sum, file) => sum + statSync(file).size, 0);
  if (total <= PARALLEL_MIN_BYTES) return 1;
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_WORKERS));
}
