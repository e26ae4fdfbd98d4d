// Exchanges already encoded as sidetap.exchanges records, packed with each record's routing key
// and event time into one ArrayBuffer. A segment worker transfers it to the source thread, which
// forwards the bytes to the bus without ever building the exchange objects (the distributed
// capture stage); the inline path packs the same way, so a caller sees one shape either way.
import { createRecordCodec, httpExchangeSchema, parseIsoTime } from '@sidetap/core';
import type { HttpExchange, RecordCodec } from '@sidetap/core';

// Per record: tsMs f64 | key length u32 | record length u32, then the key (UTF-8) and the record.
// Interleaved rather than an index up front: the writer never knows the count in advance, and the
// reader walks the records in one pass either way.
const ENTRY_HEADER = 16;
const INITIAL_BYTES = 64 * 1024;
/** Largest buffer the writer keeps for the next batch after a big one, so one burst does not pin memory. */
const KEPT_BYTES = 4 * INITIAL_BYTES;

/** A packed batch as it crosses the thread boundary (plain data: its buffer is transferred). */
export interface EncodedExchangeBatch {
  buffer: ArrayBuffer;
  /** Bytes of `buffer` in use. */
  bytes: number;
  count: number;
}

/** Receives one record of a batch: the record's bytes are a view into the batch's buffer. */
export type EncodedExchangeVisitor = (key: string, tsMs: number, record: Buffer) => void;

/**
 * The codec of the sidetap.exchanges topic: cli's topics.ts builds the same one
 * (`createRecordCodec('exchange', httpExchangeSchema)`), so the bytes a worker writes are the
 * bytes the bus would have written, and a consumer checks them as it checks any record.
 */
export function createExchangeRecordCodec(): RecordCodec<HttpExchange> {
  return createRecordCodec('exchange', httpExchangeSchema);
}

export class EncodedExchangeWriter {
  private buf: Buffer = Buffer.from(new ArrayBuffer(INITIAL_BYTES));
  private used = 0;
  private n = 0;

  get bytes(): number {
    return this.used;
  }

  get count(): number {
    return this.n;
  }

  add(key: string, tsMs: number, record: Uint8Array): void {
    // A UTF-8 key takes at most 3 bytes per UTF-16 unit; the exact length is what write() returns.
    this.reserve(ENTRY_HEADER + key.length * 3 + record.byteLength);
    const b = this.buf;
    const o = this.used;
    const keyBytes = b.write(key, o + ENTRY_HEADER, 'utf8');
    b.writeDoubleLE(tsMs, o);
    b.writeUInt32LE(keyBytes, o + 8);
    b.writeUInt32LE(record.byteLength, o + 12);
    b.set(record, o + ENTRY_HEADER + keyBytes);
    this.used = o + ENTRY_HEADER + keyBytes + record.byteLength;
    this.n += 1;
  }

  /** Encodes an exchange with `codec` and adds it under its actor key and request time. */
  addExchange(codec: RecordCodec<HttpExchange>, exchange: HttpExchange): void {
    this.add(exchange.sidetap.actor_key, parseIsoTime(exchange['@timestamp']), codec.encode(exchange));
  }

  /**
   * The packed batch in a buffer of exactly its size, ready to transfer; the writer keeps its own
   * buffer for the next batch. The copy is paid here (on the worker), and it matters: the source
   * thread keeps views of these bytes until they are published, so a batch of one small record
   * must not hold a whole writer buffer alive in the backlog.
   */
  take(): EncodedExchangeBatch {
    const buffer = (this.buf.buffer as ArrayBuffer).slice(this.buf.byteOffset, this.buf.byteOffset + this.used);
    const out = { buffer, bytes: this.used, count: this.n };
    if (this.buf.length > KEPT_BYTES) this.buf = Buffer.from(new ArrayBuffer(KEPT_BYTES));
    this.used = 0;
    this.n = 0;
    return out;
  }

  private reserve(need: number): void {
    if (this.used + need <= this.buf.length) return;
    const grown = Buffer.from(new ArrayBuffer(Math.max(this.buf.length * 2, this.used + need)));
    this.buf.copy(grown, 0, 0, this.used);
    this.buf = grown;
  }
}

/**
 * Calls `visit` for every record of a batch, in the order they were added. A batch cut short (a
 * length running past its end) stops at the last whole record: it only ever comes from this
 * process's own writer, so that would be a bug, and it must not read past the buffer.
 */
export function readEncodedExchanges(batch: EncodedExchangeBatch, visit: EncodedExchangeVisitor): void {
  const b = Buffer.from(batch.buffer, 0, batch.bytes);
  let o = 0;
  while (o + ENTRY_HEADER <= batch.bytes) {
    const tsMs = b.readDoubleLE(o);
    const keyBytes = b.readUInt32LE(o + 8);
    const recordBytes = b.readUInt32LE(o + 12);
    const keyAt = o + ENTRY_HEADER;
    const recordAt = keyAt + keyBytes;
    const end = recordAt + recordBytes;
    if (end > batch.bytes) return;
    visit(b.toString('utf8', keyAt, recordAt), tsMs, b.subarray(recordAt, end));
    o = end;
  }
}
