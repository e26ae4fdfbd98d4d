// The packet half of capture, for any source that hands over packets one at a time: a capture
// file, a live interface or a UDP tunnel listener (which hands over each datagram with its outer
// IP and UDP headers put back, so the decoder takes the tunnel off as it would in a file). Packets are decoded into TCP segments for a
// segment sink; tick() moves the clock when no packet does (a quiet live link still closes idle
// flows), and stop() flushes every open connection.
import type { Counters } from '@sidetap/core';
import type { CaptureConfig } from './captureConfig';
import { PacketDecoder } from './decode';
import type { SegmentSink } from './segmentCapture';
import type { PacketView } from './sources';
import type { CloseReason } from './tcp';

/** Incomplete IP fragment sets are looked at for expiry at most this often (capture time). */
const FRAGMENT_EXPIRY_EVERY_US = 1_000_000;

export class PacketCapture {
  private readonly decoder: PacketDecoder;
  private lastTsUs = 0;
  private nextFragmentExpiryUs = 0;
  private packetCount = 0;

  constructor(
    config: CaptureConfig,
    counters: Counters,
    private readonly sink: SegmentSink,
  ) {
    this.decoder = new PacketDecoder(config, counters, (segment) => sink.onSegment(segment));
  }

  /** Packets fed so far. */
  get packets(): number {
    return this.packetCount;
  }

  /** The latest capture time seen, from packets or ticks. */
  get nowUs(): number {
    return this.lastTsUs;
  }

  get openFlows(): number {
    return this.sink.openFlows;
  }

  /** Decodes one packet; its segment, if any, goes to the sink before this returns. */
  feed(packet: PacketView): void {
    this.packetCount += 1;
    if (packet.tsUs > this.lastTsUs) this.lastTsUs = packet.tsUs;
    if (this.lastTsUs >= this.nextFragmentExpiryUs) this.expireFragments();
    this.decoder.decode(packet);
  }

  /** Moves the clock to `nowUs` with no packet: idle connections and stale fragments expire. */
  tick(nowUs: number): void {
    if (nowUs <= this.lastTsUs) return;
    this.lastTsUs = nowUs;
    if (nowUs >= this.nextFragmentExpiryUs) this.expireFragments();
    this.sink.advanceClock(nowUs);
  }

  /** Closes every open connection at the latest time seen, so each emits what it still holds. */
  stop(reason: CloseReason = 'capture_ended'): void {
    this.sink.closeAll(reason, this.lastTsUs);
  }

  private expireFragments(): void {
    this.decoder.expire(this.lastTsUs);
    this.nextFragmentExpiryUs = this.lastTsUs + FRAGMENT_EXPIRY_EVERY_US;
  }
}
