// Puts the shards' output in one deterministic order whatever order it arrives in: chunk 0 of
// shard 0, chunk 0 of shard 1, ..., chunk 1 of each, ..., then each shard's final output. Every
// shard is handed its part of each chunk of input, so a capture always gives the same output for
// the same number of shards.

export interface SequencedItem<T> {
  worker: number;
  /** Chunk sequence number; undefined for a worker's final output. */
  seq: number | undefined;
  item: T;
}

export class ChunkSequencer<T> {
  private readonly queues: Array<Array<{ seq: number; item: T }>>;
  private readonly expectedSeq: number[];
  /** Chunks each worker posted in all, once it is done. */
  private readonly totalChunks: Array<number | undefined>;
  private readonly finals: Array<{ item: T } | undefined>;
  private cursorSeq = 0;
  private cursorWorker = 0;
  private finalCursor = 0;

  constructor(private readonly workers: number) {
    this.queues = Array.from({ length: workers }, () => []);
    this.expectedSeq = new Array<number>(workers).fill(0);
    this.totalChunks = new Array<number | undefined>(workers).fill(undefined);
    this.finals = new Array<{ item: T } | undefined>(workers).fill(undefined);
  }

  addChunk(worker: number, seq: number, item: T): void {
    if (seq !== this.expectedSeq[worker] || this.totalChunks[worker] !== undefined) {
      throw new Error(`capture worker ${worker} sent chunk ${seq} out of order (expected ${this.expectedSeq[worker]})`);
    }
    this.expectedSeq[worker] = seq + 1;
    this.queues[worker]?.push({ seq, item });
  }

  finish(worker: number, chunks: number, item: T): void {
    if (chunks !== this.expectedSeq[worker] || this.totalChunks[worker] !== undefined) {
      throw new Error(`capture worker ${worker} finished after ${chunks} chunks but sent ${this.expectedSeq[worker]}`);
    }
    this.totalChunks[worker] = chunks;
    this.finals[worker] = { item };
  }

  /** True once every item was handed out by next(). */
  get ended(): boolean {
    return this.finalCursor === this.workers;
  }

  /** The next item in order, or undefined while it has not arrived yet (or all have been handed out). */
  next(): SequencedItem<T> | undefined {
    while (this.finalCursor < this.workers) {
      if (this.chunksLeft()) {
        const worker = this.cursorWorker;
        const head = this.queues[worker]?.[0];
        if (head !== undefined) {
          this.queues[worker]?.shift();
          this.advance();
          return { worker, seq: head.seq, item: head.item };
        }
        const total = this.totalChunks[worker];
        if (total === undefined || total > this.cursorSeq) return undefined;
        this.advance(); // this worker posted fewer chunks: nothing of it at this position
        continue;
      }
      const worker = this.finalCursor;
      const final = this.finals[worker];
      if (final === undefined) return undefined;
      this.finalCursor += 1;
      return { worker, seq: undefined, item: final.item };
    }
    return undefined;
  }

  /** Whether some worker may still have a chunk at or after the cursor. */
  private chunksLeft(): boolean {
    for (let w = 0; w < this.workers; w++) {
      const total = this.totalChunks[w];
      if (total === undefined || total > this.cursorSeq) return true;
    }
    return false;
  }

  private advance(): void {
    this.cursorWorker += 1;
    if (this.cursorWorker === this.workers) {
      this.cursorWorker = 0;
      this.cursorSeq += 1;
    }
  }
}
