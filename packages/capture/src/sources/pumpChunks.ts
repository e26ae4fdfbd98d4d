// Feeds a stream of chunks (a gunzip stream, standard input) through a ChunkPump, turning read and
// decompression errors into CaptureFileErrors only after every packet before them was handed out.
import { CaptureFileError } from './captureFileError';
import type { ChunkPump } from './chunkPump';
import type { ReadCaptureOptions } from './readCaptureFile';

export interface PumpedStream {
  file: string;
  /** Total size for progress; 0 when unknown (standard input). */
  fileBytes: number;
  pump: ChunkPump;
  options: ReadCaptureOptions;
}

/** Pumps every chunk; `bytesConsumed` reports progress in input bytes (before decompression). */
export async function pumpChunks({ file, fileBytes, pump, options }: PumpedStream, chunks: AsyncIterator<Buffer>, bytesConsumed: () => number): Promise<void> {
  while (true) {
    let next: IteratorResult<Buffer>;
    try {
      next = await chunks.next();
    } catch (err) {
      // Everything decompressed before the damage is still handed out first.
      pump.drain();
      const fault = pump.fault;
      if (fault !== null) throw new CaptureFileError(file, fault.offset, fault.reason);
      const reason = isFsError(err) ? `cannot be read: ${errorCode(err)}` : `has corrupt gzip data (${errorMessage(err)})`;
      throw new CaptureFileError(file, pump.streamEnd, reason);
    }
    if (next.done === true) return;
    pump.push(next.value);
    pump.drain();
    await afterChunk(file, pump, options, bytesConsumed(), fileBytes);
  }
}

/** Reports progress, lets the consumer catch up, and ends the read at the first fault. */
export async function afterChunk(file: string, pump: ChunkPump, options: ReadCaptureOptions, read: number, total: number): Promise<void> {
  options.onProgress?.(read, total);
  await options.afterChunk?.();
  const fault = pump.fault;
  if (fault !== null) throw new CaptureFileError(file, fault.offset, fault.reason);
}

function isFsError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'syscall' in err;
}

export function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return errorMessage(err);
}

/** Duck-typed: errors from node internals may come from another realm than this module's Error. */
export function errorMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string') return err.message;
  return String(err);
}
