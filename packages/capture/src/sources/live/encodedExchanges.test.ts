import { EncodedExchangeWriter, readEncodedExchanges } from './encodedExchanges';
import type { EncodedExchangeBatch } from './encodedExchanges';

interface Record {
  key: string;
  tsMs: number;
  bytes: Buffer;
}

interface Seen {
  key: string;
  tsMs: number;
  /** Hex: jest compares strings much faster than big Buffers byte by byte. */
  hex: string;
}

const seen = (records: readonly Record[]): Seen[] => records.map((r) => ({ key: r.key, tsMs: r.tsMs, hex: r.bytes.toString('hex') }));

function readAll(batch: EncodedExchangeBatch): Seen[] {
  const out: Seen[] = [];
  readEncodedExchanges(batch, (key, tsMs, bytes) => out.push({ key, tsMs, hex: bytes.toString('hex') }));
  return out;
}

function pack(records: readonly Record[]): EncodedExchangeBatch {
  const writer = new EncodedExchangeWriter();
  for (const r of records) writer.add(r.key, r.tsMs, r.bytes);
  expect(writer.count).toBe(records.length);
  return writer.take();
}

describe('encoded exchange batches', () => {
  it('carry each record with its key and event time, in order', () => {
    const sent: Record[] = [
      { key: 'jwt:3f2a9c', tsMs: 1_700_000_000_123, bytes: Buffer.from([0x93, 1, 0xa8]) },
      // A key with characters beyond Latin-1 and a time with a fraction survive as they are.
      { key: 'api_key:clé-🔑', tsMs: 1_700_000_000_123.5, bytes: Buffer.from('second record') },
      { key: '', tsMs: 0, bytes: Buffer.alloc(0) },
    ];
    const batch = pack(sent);
    expect(batch.count).toBe(3);
    expect(batch.buffer).toBeInstanceOf(ArrayBuffer);
    // Exactly its size: the source thread's backlog keeps views of it, never a whole writer buffer.
    expect(batch.buffer.byteLength).toBe(batch.bytes);
    expect(readAll(batch)).toEqual(seen(sent));
  });

  it('hold many records, growing the buffer past its first size', () => {
    const sent: Record[] = Array.from({ length: 5000 }, (_, i) => ({
      key: `ip:10.0.${i >> 8}.${i & 255}`,
      tsMs: 1_700_000_000_000 + i,
      bytes: Buffer.alloc(1 + (i % 97), i & 255),
    }));
    const batch = pack(sent);
    expect(batch.bytes).toBeGreaterThan(64 * 1024);
    expect(readAll(batch)).toEqual(seen(sent));
  });

  it('carry records bigger than the buffer the writer starts with', () => {
    const big = Buffer.alloc(3 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 255;
    const sent: Record[] = [
      { key: 'a', tsMs: 1, bytes: Buffer.from('small') },
      { key: 'b', tsMs: 2, bytes: big },
      { key: 'c', tsMs: 3, bytes: Buffer.from('after') },
    ];
    expect(readAll(pack(sent))).toEqual(seen(sent));
  });

  it('read nothing from an empty batch, and start empty again after take()', () => {
    const writer = new EncodedExchangeWriter();
    expect(readAll(writer.take())).toEqual([]);
    writer.add('k', 5, Buffer.from('x'));
    const first = writer.take();
    expect(writer.count).toBe(0);
    expect(writer.bytes).toBe(0);
    writer.add('k2', 6, Buffer.from('y'));
    // The first batch's buffer is its own: writing the next one does not touch it.
    expect(readAll(first)).toEqual(seen([{ key: 'k', tsMs: 5, bytes: Buffer.from('x') }]));
    expect(readAll(writer.take())).toEqual(seen([{ key: 'k2', tsMs: 6, bytes: Buffer.from('y') }]));
  });

  it('stop at the last whole record of a batch cut short, never reading past it', () => {
    const batch = pack([
      { key: 'a', tsMs: 1, bytes: Buffer.from('one') },
      { key: 'b', tsMs: 2, bytes: Buffer.from('two') },
    ]);
    const cut = { ...batch, bytes: batch.bytes - 1 };
    expect(readAll(cut).map((r) => r.key)).toEqual(['a']);
  });
});
