// The StreamConsumer for one TCP connection: recognises HTTP/1.x by content (never by port),
// tells client from server, reads both directions and emits each request/response pair.
import type { CaptureFlag } from '@sidetap/core';
import type { CloseReason, ConnectionInfo, Direction, StreamConsumer } from '../tcp/streamConsumer';
import { requestFraming, responseFraming } from './bodyFraming';
import type { Framing } from './bodyFraming';
import { sniffProtocol } from './content';
import type { SniffResult } from './content';
import { ActorMemo } from './actorMemo';
import { buildExchange } from './exchangeBuilder';
import type { ConnectionMemos } from './exchangeBuilder';
import { ExchangeIds } from './exchangeIds';
import { ExchangePairing } from './exchangePairing';
import type { SlotSink } from './exchangePairing';
import type { ExchangeSlot } from './exchangeSlot';
import type { HttpContext } from './httpContext';
import type { HttpMessage } from './httpMessage';
import { MessageReader } from './messageReader';
import { RedactionMemo } from './redactionMemo';
import type { MessageOwner } from './messageReader';

/**
 * A connection joined midway is given up (counted as skipped) when this many bytes pass without a
 * request or status line in either direction. Bounds the work spent on non-HTTP traffic.
 */
export const MIDSTREAM_HUNT_LIMIT_BYTES = 1 << 20;

type SkipKind = 'tls' | 'http2' | 'ssh' | 'other';
/** sniff: deciding from the first bytes; http: parsing; tunnel: left HTTP (CONNECT/Upgrade); skipped: not HTTP. */
type ConnectionState = 'sniff' | 'http' | 'tunnel' | 'skipped';

/** The StreamConsumer for one TCP connection: parses HTTP/1.x both ways and emits HttpExchanges through ctx.emit. */
export function createHttpConsumer(info: ConnectionInfo, ctx: HttpContext): StreamConsumer {
  return new HttpConnection(info, ctx);
}

class HttpConnection implements StreamConsumer, MessageOwner, SlotSink {
  private state: ConnectionState;
  private clientDir: Direction | undefined;
  private readonly readers: [MessageReader, MessageReader];
  private readonly pairing: ExchangePairing;
  /** Handshake seen: the first bytes, held until they say what protocol this is. */
  private sniffDir: Direction | undefined = undefined;
  private sniffBuf: Buffer | undefined = undefined;
  private sniffTsUs = 0;
  /** Midstream: whether each direction's first bytes were checked for TLS, HTTP/2, SSH. */
  private readonly firstSeen: [boolean, boolean] = [false, false];
  private memos: ConnectionMemos | undefined = undefined;

  constructor(
    private readonly info: ConnectionInfo,
    private readonly ctx: HttpContext,
  ) {
    const { config, counters } = ctx;
    const midstream = !info.handshakeSeen;
    this.clientDir = midstream ? undefined : 0;
    this.state = midstream ? 'http' : 'sniff';
    this.readers = [
      new MessageReader(0, midstream ? 'either' : 'request', midstream, this, config, counters, ctx.sampleBudget),
      new MessageReader(1, midstream ? 'either' : 'status', midstream, this, config, counters, ctx.sampleBudget),
    ];
    this.pairing = new ExchangePairing(config.httpMaxPendingRequests, this, counters);
  }

  onData(dir: Direction, data: Buffer, tsUs: number): void {
    if (data.length === 0) return;
    switch (this.state) {
      case 'sniff':
        this.sniff(dir, data, tsUs);
        return;
      case 'http':
        if (this.clientDir === undefined && !this.firstSeen[dir]) {
          this.firstSeen[dir] = true;
          const first = sniffProtocol(data);
          if (first.kind === 'tls' || first.kind === 'http2' || first.kind === 'ssh') {
            this.skip(first.kind, first.kind === 'tls' ? first.sni : undefined);
            return;
          }
        }
        this.readers[dir].onData(data, tsUs);
        if (this.clientDir === undefined && this.readers[0].scanned + this.readers[1].scanned > MIDSTREAM_HUNT_LIMIT_BYTES) this.skip('other', undefined);
        return;
      case 'tunnel':
      case 'skipped':
        return;
    }
  }

  onGap(dir: Direction, bytes: number, tsUs: number): void {
    if (this.state === 'sniff') {
      // Bytes lost before the protocol was known: unless the first bytes say otherwise, assume
      // HTTP and hunt for a message start.
      if (this.sniffBuf === undefined) this.state = 'http';
      else this.decideHeld(true);
    }
    if (this.state === 'http') this.readers[dir].onGap(bytes, tsUs);
  }

  onOverlapConflict(dir: Direction): void {
    // A conflict over bytes of an exchange already emitted cannot be pinned on a later one.
    if (this.state === 'http' && !this.readers[dir].flagInFlight('tcp_overlap_conflict')) {
      this.ctx.counters.inc('capture_http_overlap_conflicts_unattributed_total');
    }
  }

  onEnd(dir: Direction): void {
    if (this.state === 'sniff' && this.sniffDir === dir) this.decideHeld(false);
    if (this.state === 'http') this.readers[dir].finish(undefined, undefined);
  }

  onClose(reason: CloseReason): void {
    if (this.state === 'sniff') this.decideHeld(false);
    if (this.state === 'http' || this.state === 'tunnel') {
      const reasonFlag: CaptureFlag | undefined = reason === 'fin' || reason === 'rst' ? undefined : reason;
      const closeDelimitedFlag = reason === 'capture_ended' ? undefined : reasonFlag;
      this.readers[0].finish(reasonFlag, closeDelimitedFlag);
      this.readers[1].finish(reasonFlag, closeDelimitedFlag);
      this.pairing.flush(reasonFlag);
      if (this.clientDir === undefined && (this.firstSeen[0] || this.firstSeen[1])) this.skip('other', undefined);
    }
    this.state = 'skipped';
    this.sniffBuf = undefined;
  }

  onHead(reader: MessageReader, msg: HttpMessage): Framing | 'reject' {
    if (this.state !== 'http') return 'reject';
    const dir = reader.dir;
    if (this.clientDir === undefined) {
      const client: Direction = msg.isRequest ? dir : dir === 0 ? 1 : 0;
      this.clientDir = client;
      this.readers[client].expect = 'request';
      this.readers[client === 0 ? 1 : 0].expect = 'status';
    } else if (msg.isRequest !== (dir === this.clientDir)) return 'reject';

    const headCut = msg.headCut;
    if (msg.isRequest) {
      this.pairing.request(msg);
      return headCut ? 'none' : requestFraming(msg);
    }
    if (!headCut && msg.statusCode >= 100 && msg.statusCode < 200 && msg.statusCode !== 101) {
      this.pairing.interim(msg);
      return 'none';
    }
    const slot = this.pairing.response(msg);
    if (headCut) return 'none';
    const framing = responseFraming(msg, slot.req?.method);
    if (framing === 'upgrade' || framing === 'connect') {
      slot.addFlag(framing === 'upgrade' ? 'http_upgrade' : 'http_connect');
      this.state = 'tunnel';
      this.readers[this.clientDir].finish(undefined, undefined);
    }
    return framing;
  }

  onMessageEnd(_reader: MessageReader, msg: HttpMessage): void {
    this.pairing.messageEnd(msg);
  }

  onLeftoverFlags(reader: MessageReader, flags: readonly CaptureFlag[]): void {
    // What the server sent last did not parse: it was the response of the oldest request waiting.
    if (this.clientDir !== undefined && reader.dir !== this.clientDir) this.pairing.flagOldestAwaiting(flags);
  }

  emitSlot(slot: ExchangeSlot): void {
    const { ctx } = this;
    this.memos ??= { redaction: new RedactionMemo(ctx.redactor), actor: new ActorMemo(ctx.actor), ids: new ExchangeIds(this.info.id) };
    const exchange = buildExchange(slot, this.info, this.clientDir ?? 0, ctx, this.memos);
    ctx.emit(exchange);
    ctx.counters.inc('capture_exchanges_emitted_total');
    for (const flag of exchange.sidetap.capture.flags) ctx.counters.inc(`capture_http_flags_total{flag="${flag}"}`);
  }

  /** Handshake seen: holds the first speaker's bytes until sniffProtocol can tell what they are. */
  private sniff(dir: Direction, data: Buffer, tsUs: number): void {
    if (this.sniffDir === undefined) {
      this.sniffDir = dir;
      this.sniffTsUs = tsUs;
    }
    if (dir !== this.sniffDir) {
      // The other side spoke before the first one was recognised: decide on what is there.
      this.decideHeld(false);
      this.onData(dir, data, tsUs);
      return;
    }
    const held = this.sniffBuf;
    const all = held === undefined ? data : Buffer.concat([held, data]);
    const result = sniffProtocol(all);
    if (result.kind === 'need_more' && all.length <= this.ctx.config.httpMaxHeaderBytes) {
      this.sniffBuf = held === undefined ? Buffer.from(data) : all;
      return;
    }
    this.sniffBuf = undefined;
    if (!this.settle(dir, result)) return;
    if (held !== undefined) this.readers[dir].onData(held, this.sniffTsUs);
    this.readers[dir].onData(data, tsUs);
  }

  /**
   * A decision on the held first bytes is due before they are complete (the other side spoke,
   * a FIN, the close, a gap). `assumeHttp`: bytes that could still be HTTP are taken as HTTP.
   */
  private decideHeld(assumeHttp: boolean): void {
    const dir = this.sniffDir;
    const held = this.sniffBuf;
    this.sniffBuf = undefined;
    if (dir === undefined || held === undefined) return;
    const result = sniffProtocol(held);
    let http: boolean;
    if (assumeHttp && result.kind === 'need_more') {
      this.state = 'http';
      http = true;
    } else http = this.settle(dir, result);
    if (http) this.readers[dir].onData(held, this.sniffTsUs);
  }

  /** Acts on a sniff verdict for the first speaker `dir`; true when the connection is HTTP. */
  private settle(dir: Direction, result: SniffResult): boolean {
    if ((result.kind === 'http_request' && dir === 0) || (result.kind === 'http_response' && dir === 1)) {
      this.state = 'http';
      return true;
    }
    const kind: SkipKind = result.kind === 'tls' || result.kind === 'http2' || result.kind === 'ssh' ? result.kind : 'other';
    this.skip(kind, result.kind === 'tls' ? result.sni : undefined);
    return false;
  }

  private skip(kind: SkipKind, sni: string | undefined): void {
    if (this.state === 'skipped') return;
    this.state = 'skipped';
    this.sniffBuf = undefined;
    if (sni !== undefined) this.ctx.tlsServerNames.add(sni);
    this.ctx.counters.inc(`capture_flows_skipped_total{kind="${kind}"}`);
  }
}
