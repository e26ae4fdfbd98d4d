// Out-of-order bytes held by every connection of one TcpReassembler, counted against one limit
// (tcpBufferedTotalBytes), with the directions holding any linked oldest first so the one to give
// up a hole when the limit is reached is found in O(1).
import type { ReassemblyBuffer } from './reassemblyBuffer';

/** The direction that owns a buffer: declares its first hole a gap and delivers what follows. */
export interface HoleHolder {
  giveUpHole(tsUs: number): void;
}

export class BufferBudget {
  private used = 0;
  /** Non-empty buffers in the order they last became non-empty. */
  private oldestHolder: ReassemblyBuffer | undefined;
  private newestHolder: ReassemblyBuffer | undefined;

  constructor(readonly limitBytes: number) {}

  /** Out-of-order bytes held across all connections. */
  get bytes(): number {
    return this.used;
  }

  get over(): boolean {
    return this.used > this.limitBytes;
  }

  /** `buffer` copied `n` bytes in; it was empty before when `wasEmpty`. */
  add(buffer: ReassemblyBuffer, n: number, wasEmpty: boolean): void {
    this.used += n;
    if (wasEmpty) this.link(buffer);
  }

  /** `buffer` gave `n` bytes back; it is empty now when `nowEmpty`. */
  release(buffer: ReassemblyBuffer, n: number, nowEmpty: boolean): void {
    this.used -= n;
    if (nowEmpty) this.unlink(buffer);
  }

  /**
   * Gives up holes until the bytes held fit the limit again. `grown` is the buffer that just took a
   * segment: when it alone exceeds the limit no other buffer can make room, so it gives up its own.
   * Otherwise the victim is the buffer that has held data longest rather than the one holding most:
   * finding it costs nothing (the head of a list kept in O(1) per transition), where "most" needs a
   * heap updated on every out-of-order segment. It is also the better choice: a hole open longest
   * is the least likely to be filled by a retransmission, and a sender spreading a little data over
   * many connections cannot push out one honest connection that holds much for a short time.
   */
  makeRoom(grown: ReassemblyBuffer, tsUs: number): void {
    while (this.used > this.limitBytes) {
      const victim = grown.bytes > this.limitBytes ? grown : this.oldestHolder;
      if (victim === undefined) return;
      const before = this.used;
      victim.holder?.giveUpHole(tsUs);
      // Every hole given up frees at least one segment; stop rather than spin should one not.
      if (this.used >= before) return;
    }
  }

  private link(buffer: ReassemblyBuffer): void {
    buffer.budgetOlder = this.newestHolder;
    buffer.budgetNewer = undefined;
    if (this.newestHolder !== undefined) this.newestHolder.budgetNewer = buffer;
    else this.oldestHolder = buffer;
    this.newestHolder = buffer;
  }

  private unlink(buffer: ReassemblyBuffer): void {
    if (buffer.budgetOlder !== undefined) buffer.budgetOlder.budgetNewer = buffer.budgetNewer;
    else if (this.oldestHolder === buffer) this.oldestHolder = buffer.budgetNewer;
    if (buffer.budgetNewer !== undefined) buffer.budgetNewer.budgetOlder = buffer.budgetOlder;
    else if (this.newestHolder === buffer) this.newestHolder = buffer.budgetOlder;
    buffer.budgetOlder = undefined;
    buffer.budgetNewer = undefined;
  }
}
