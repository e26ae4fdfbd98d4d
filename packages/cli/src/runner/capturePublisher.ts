// Feeds capture's exchanges into the bus in batches, with a watermark that trails the newest
// request seen by the configured delay, and the end-of-stream mark when the capture is done.
import { END_OF_STREAM } from '@sidetap/bus';
import type { Bus } from '@sidetap/bus';
import type { HttpExchange } from '@sidetap/core';
import type { PipelineConfig } from '../sidetapConfig';
import { TOPICS } from './topics';

export class CapturePublisher {
  private pending: HttpExchange[] = [];
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
    const t = Date.parse(exchange['@timestamp']);
    if (t > this.newest) this.newest = t;
  }

  /** Awaited by capture between chunks of input: the bus's backpressure reaches the reader here. */
  async drain(): Promise<void> {
    const topic = TOPICS.exchanges;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.config.publishBatch);
      await this.bus.publish(topic, batch.map((value) => ({ key: topic.keyOf(value), value })));
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
