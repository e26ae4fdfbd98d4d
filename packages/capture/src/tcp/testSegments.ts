// Test helper: builds synthetic TcpSegments, feeds them the way the decoder does (one reused object
// whose payload is overwritten after each call) and records what each connection's consumer got.
import { Counters } from '@sidetap/core';
import { captureConfigSchema } from '../captureConfig';
import type { CaptureConfig } from '../captureConfig';
import { blankTcpSegment, TCP_ACK, TCP_SYN } from '../decode/tcpSegment';
import type { TcpSegment } from '../decode/tcpSegment';
import type { CloseReason, ConnectionInfo, Direction, Endpoint, StreamConsumer } from './streamConsumer';
import { TcpReassembler } from './tcpReassembler';

export const CLIENT: Endpoint = { ip: '10.0.0.1', port: 51000 };
export const SERVER: Endpoint = { ip: '10.0.0.2', port: 80 };

export interface SegmentOptions {
  seq: number;
  ack?: number;
  flags?: number;
  payload?: string | Buffer;
  /** Payload bytes the snap length cut off after `payload`. */
  snapped?: number;
  tsUs?: number;
  vlan?: number[];
  vni?: number;
  tunnel?: 'vxlan' | 'geneve';
}

/** One connection as its consumer saw it: events such as `data0:GET /`, `gap1:5`, `conflict0`, `end0`, `close:fin`. */
export class RecordedConnection implements StreamConsumer {
  readonly events: string[] = [];
  closes = 0;

  constructor(readonly info: ConnectionInfo) {}

  onData(dir: Direction, data: Buffer): void {
    // Copied at once: `data` is only valid during the call.
    const last = this.events[this.events.length - 1];
    const text = data.toString('latin1');
    if (last !== undefined && last.startsWith(`data${dir}:`)) this.events[this.events.length - 1] = last + text;
    else this.events.push(`data${dir}:${text}`);
  }

  onGap(dir: Direction, bytes: number): void {
    this.events.push(`gap${dir}:${bytes}`);
  }

  onOverlapConflict(dir: Direction): void {
    this.events.push(`conflict${dir}`);
  }

  onEnd(dir: Direction): void {
    this.events.push(`end${dir}`);
  }

  onClose(reason: CloseReason): void {
    this.closes += 1;
    this.events.push(`close:${reason}`);
  }

  /** Everything delivered in one direction, a gap written as `[gap N]`. */
  text(dir: Direction): string {
    let out = '';
    for (const event of this.events) {
      if (event.startsWith(`data${dir}:`)) out += event.slice(6);
      else if (event.startsWith(`gap${dir}:`)) out += `[gap ${event.slice(5)}]`;
    }
    return out;
  }
}

export class TcpTestBench {
  readonly counters = new Counters();
  readonly connections: RecordedConnection[] = [];
  readonly reassembler: TcpReassembler;
  readonly config: CaptureConfig;
  private readonly scratch = Buffer.alloc(65_536);
  private readonly segment: TcpSegment = blankTcpSegment();
  private clockUs = 1_700_000_000_000_000;

  constructor(config: Partial<CaptureConfig> = {}) {
    this.config = captureConfigSchema.parse(config);
    this.reassembler = new TcpReassembler(this.config, this.counters, (info) => {
      const conn = new RecordedConnection(info);
      this.connections.push(conn);
      return conn;
    });
  }

  /** The only connection opened so far (fails the test when there is not exactly one). */
  get only(): RecordedConnection {
    if (this.connections.length !== 1) throw new Error(`expected one connection, got ${this.connections.length}`);
    return this.connections[0] as RecordedConnection;
  }

  /** Sends a segment from `src` to `dst`; without tsUs the clock advances by 1 ms per segment. */
  send(src: Endpoint, dst: Endpoint, options: SegmentOptions): void {
    this.clockUs = options.tsUs ?? this.clockUs + 1000;
    const payload = typeof options.payload === 'string' ? Buffer.from(options.payload, 'latin1') : options.payload;
    const length = payload === undefined ? 0 : payload.copy(this.scratch, 0);
    const segment = this.segment;
    segment.tsUs = this.clockUs;
    segment.ipVersion = src.ip.includes(':') ? 6 : 4;
    segment.srcIp = src.ip;
    segment.dstIp = dst.ip;
    segment.srcPort = src.port;
    segment.dstPort = dst.port;
    segment.seq = options.seq >>> 0;
    segment.ack = (options.ack ?? 0) >>> 0;
    segment.flags = options.flags ?? 0;
    segment.payload = this.scratch.subarray(0, length);
    segment.snappedBytes = options.snapped ?? 0;
    segment.vlan = options.vlan;
    segment.vni = options.vni;
    segment.tunnel = options.tunnel;
    this.reassembler.onSegment(segment);
    // Whatever reassembly kept without copying is now garbage, as it would be in a real capture.
    this.scratch.fill(0x23, 0, length);
  }

  get nowUs(): number {
    return this.clockUs;
  }
}

/** SYN, SYN/ACK, ACK between CLIENT and SERVER; data then starts at clientIsn + 1 and serverIsn + 1. */
export function handshake(bench: TcpTestBench, clientIsn: number, serverIsn: number, extra: Partial<SegmentOptions> = {}): void {
  bench.send(CLIENT, SERVER, { ...extra, seq: clientIsn, flags: TCP_SYN });
  bench.send(SERVER, CLIENT, { ...extra, seq: serverIsn, ack: clientIsn + 1, flags: TCP_SYN | TCP_ACK });
  bench.send(CLIENT, SERVER, { ...extra, seq: clientIsn + 1, ack: serverIsn + 1, flags: TCP_ACK });
}
