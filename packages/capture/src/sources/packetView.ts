// One packet as a reader hands it to the decoder. Readers reuse a single view object and the
// bytes live in the reader's chunk: both are valid only during the callback, so anything kept
// longer must be copied.

export interface PacketView {
  /** Capture timestamp in microseconds since the Unix epoch (fraction keeps sub-microsecond precision). */
  tsUs: number;
  /** LINKTYPE_* value of the interface the packet was captured on (FCS bits masked off). */
  linktype: number;
  /** The packet's captured bytes are buf[offset, offset + caplen). */
  buf: Buffer;
  offset: number;
  caplen: number;
  /** Length of the packet on the wire (may exceed caplen when the snap length cut it). */
  origLen: number;
  /** pcapng interface index (0 for classic pcap). */
  iface: number;
  /** Byte offset of the packet record in the (decompressed) file, for error messages. */
  fileOffset: number;
}

export type PacketHandler = (packet: PacketView) => void;
