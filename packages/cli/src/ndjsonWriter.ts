// Writes one JSON document per line to a stream, batching small writes and honouring
// backpressure so a slow reader (a pipe into another tool) slows capture instead of growing memory.
import type { Writable } from 'node:stream';

const FLUSH_AT_BYTES = 256 * 1024;

export class NdjsonWriter {
  private pending: string[] = [];
  private pendingBytes = 0;
  private blocked = false;
  private failure: Error | undefined;

  constructor(private readonly out: Writable) {
    out.on('error', (err: Error) => {
      this.failure = err;
    });
  }

  write(record: unknown): void {
    const line = JSON.stringify(record) + '\n';
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= FLUSH_AT_BYTES) this.flushBuffer();
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
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.out.write(chunk)) this.blocked = true;
  }
}
