// Writes one JSON document per line to a stream, encoding straight into chunk buffers and
// honouring backpressure, so a slow reader (a pipe into another tool) slows capture instead of
// growing memory.
import type { Writable } from 'node:stream';
import { NdjsonChunk } from '@sidetap/core';

const FLUSH_AT_BYTES = 256 * 1024;

export class NdjsonWriter {
  private readonly chunk = new NdjsonChunk(FLUSH_AT_BYTES + FLUSH_AT_BYTES / 4);
  private blocked = false;
  private failure: Error | undefined;

  constructor(private readonly out: Writable) {
    out.on('error', (err: Error) => {
      this.failure = err;
    });
  }

  write(record: unknown): void {
    this.chunk.add(record);
    if (this.chunk.bytes >= FLUSH_AT_BYTES) this.flushBuffer();
  }

  /** Resolves once the stream can take more; call between chunks of input. */
  async drain(): Promise<void> {
    this.flushBuffer();
    if (this.failure) throw this.failure;
    if (!this.blocked) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.out.off('drain', done);
        this.out.off('error', done);
        resolve();
      };
      this.out.once('drain', done);
      this.out.once('error', done);
    });
    this.blocked = false;
    if (this.failure) throw this.failure;
  }

  async end(): Promise<void> {
    this.flushBuffer();
    await this.drain();
  }

  private flushBuffer(): void {
    const bytes = this.chunk.take();
    if (bytes !== undefined && !this.out.write(bytes)) this.blocked = true;
  }
}
