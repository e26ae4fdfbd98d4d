// Combines watermarks from many producers on many partitions into the one a consumer may act on:
// the minimum, since any slower producer or partition may still deliver older records.
import type { Watermark } from './bus';

/** Producers remembered per partition; a fleet of capture processes is far smaller. */
const MAX_PRODUCERS_PER_PARTITION = 1024;

export class WatermarkTracker {
  private readonly byPartition = new Map<number, Map<string, Watermark>>();
  private assigned: readonly number[] = [];

  /** The partitions this member reads now (after a rebalance). */
  assign(partitions: readonly number[]): void {
    this.assigned = [...partitions];
  }

  observe(partition: number, producer: string, watermark: Watermark): void {
    let producers = this.byPartition.get(partition);
    if (producers === undefined) {
      producers = new Map();
      this.byPartition.set(partition, producers);
    }
    const before = producers.get(producer);
    if (before !== undefined && before >= watermark) return;
    if (before === undefined && producers.size >= MAX_PRODUCERS_PER_PARTITION) {
      // Forget the producer that finished longest ago (highest watermark holds nothing back).
      let top: string | undefined;
      let topMark = -Infinity;
      for (const [p, w] of producers) if (w > topMark) [top, topMark] = [p, w];
      if (top !== undefined) producers.delete(top);
    }
    producers.set(producer, watermark);
  }

  /** Undefined until every assigned partition has heard from at least one producer. */
  current(): Watermark | undefined {
    if (this.assigned.length === 0) return undefined;
    let low = Infinity;
    for (const partition of this.assigned) {
      const producers = this.byPartition.get(partition);
      if (producers === undefined || producers.size === 0) return undefined;
      for (const w of producers.values()) if (w < low) low = w;
    }
    return low;
  }
}
