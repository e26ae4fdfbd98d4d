// Feeds capture's exchanges into the bus in batches, with a watermark that trails the newest
// request seen by the configured delay, and the end-of-stream mark when the capture is done.
// Exchanges come as objects, or already encoded for sidetap.exchanges (by a live source's
// segment workers), which go to the bus as they are; both wait in one backlog, in arrival order.
import { END_OF_STREAM } from '@sidetap/bus';
import type { Bus, EncodedRecord } from '@sidetap/bus';
import { parseIsoTime } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import type { PipelineConfig } from '../sidetapConfig';
import { TOPICS } from './topics';

type Pending = HttpExchange | EncodedRecord;

// An exchange has no top-level `bytes`; an encoded record always has it.
const isEncoded = (p: Pending): p is EncodedRecord => (p as Partial<EncodedRecord>).bytes instanceof Uint8Array;

export class CapturePublisher {
  private pending: Pending[] = [];
  private newest = -Infinity;
  private published = -Infinity;

  constructor(
    private readonly bus: Bus,
    private readonly config: PipelineConfig,
    private readonly producerId: string,
  ) {}

  /** Exchanges added and not yet handed to the bus. */
  get backlog(): number {
    return this.pending.length;
  }

  /** Capture calls this synchronously for every exchange; drain() sends them. */
  add(exchange: HttpExchange): void {
    this.pending.push(exchange);
    const t = parseIsoTime(exchange['@timestamp']);
    if (t > this.newest) this.newest = t;
  }

  /**
   * add() for an exchange already encoded with TOPICS.exchanges' codec: its actor key, its
   * request time (ms, for the watermark) and the record's bytes, sent on unchanged.
   */
  addEncoded(key: string, tsMs: number, bytes: Uint8Array): void {
    this.pending.push({ key, bytes });
    if (tsMs > this.newest) this.newest = tsMs;
  }

  /** Awaited by capture between chunks of input: the bus's backpressure reaches the reader here. */
  async drain(): Promise<void> {
    const topic = TOPICS.exchanges;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.config.publishBatch);
      // Each run of one kind is one publish, so the order of the backlog is the order sent.
      for (let start = 0; start < batch.length; ) {
        const encoded = isEncoded(batch[start]!);
        let end = start + 1;
        while (end < batch.length && isEncoded(batch[end]!) === encoded) end++;
        const run = start === 0 && end === batch.length ? batch : batch.slice(start, end);
        if (encoded) await this.bus.publishEncoded(topic, run as EncodedRecord[]);
        else await this.bus.publish(topic, (run as HttpExchange[]).map((value) => ({ key: topic.keyOf(value), value })));
        start = end;
      }
    }
    const mark = this.newest - this.config.watermarkDelayMs;
    if (mark > this.published) {
      this.published = mark;
      await this.bus.publishWatermark(topic, this.producerId, mark);
    }
  }

  /** Sends what is left and tells every consumer this capture is over. */
  async end(): Promise<void> {
    await this.drain();
    await this.bus.publishWatermark(TOPICS.exchanges, this.producerId, END_OF_STREAM);
  }
}
