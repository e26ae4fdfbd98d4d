// What the streaming driver needs from a capture format parser. Parsers are synchronous and
// work on whatever bytes the driver has buffered; they never throw on bad input but record a fault.

export interface RecordParser {
  readonly format: 'pcap' | 'pcapng';
  /** Packets handed to the packet handler so far. */
  readonly packets: number;
  /**
   * Hands out every complete record in buf[start, end), where buf[0] sits at stream offset `base`.
   * Returns where the next record starts; that may lie beyond `end` when a record is skipped
   * without being read. On corruption it sets `fault` and returns the faulty record's position.
   */
  parse(buf: Buffer, start: number, end: number, base: number): number;
  /** Set once the stream is corrupt; nothing more is parsed. */
  readonly fault: ParseFault | null;
  /** Size of the record starting at the position parse() last returned, so the buffer can hold it. */
  readonly bytesNeeded: number;
  /** The record parse() stopped at, for the error when the stream ends inside it. */
  readonly pendingOffset: number;
  readonly pendingWhat: string;
}

export interface ParseFault {
  offset: number;
  reason: string;
}
