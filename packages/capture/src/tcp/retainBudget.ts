// Storage for delivered bytes kept for retransmission checks, shared by every connection of one
// TcpReassembler: fixed-size chunks counted against one byte budget, recycled through a small pool
// so steady traffic allocates nothing.

/** Chunks kept for reuse after release; beyond this they are left to the garbage collector. */
const POOL_MAX_CHUNKS = 1024;

export class RetainBudget {
  private used = 0;
  private readonly pool: Buffer[] = [];

  /**
   * `limitBytes` bounds the chunks lent out plus those pooled: a chunk is allocated only when the
   * pool is empty, so pooled chunks are always ones the budget already counted.
   */
  constructor(
    readonly limitBytes: number,
    readonly chunkBytes: number,
  ) {}

  /** Bytes of chunks currently lent out to connections. */
  get bytes(): number {
    return this.used;
  }

  /** Appends `count` chunks to `into`, or none (false) when they would exceed the budget. */
  take(count: number, into: Buffer[]): boolean {
    const bytes = count * this.chunkBytes;
    if (this.used + bytes > this.limitBytes) return false;
    this.used += bytes;
    for (let i = 0; i < count; i += 1) {
      // Not from the shared pool: a retained chunk must not pin an 8 KiB slab of packet data.
      into.push(this.pool.pop() ?? Buffer.allocUnsafeSlow(this.chunkBytes));
    }
    return true;
  }

  give(chunk: Buffer): void {
    this.used -= this.chunkBytes;
    if (this.pool.length < POOL_MAX_CHUNKS) this.pool.push(chunk);
  }
}
