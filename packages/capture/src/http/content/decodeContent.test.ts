import * as zlib from 'node:zlib';
import { decodeContent } from './decodeContent';
import { zstdAvailable } from './boundedDecompress';

const text = Buffer.from(
  Array.from({ length: 2000 }, (_, i) => `{"id":${i},"name":"item ${i}","tags":["a","b"]}`).join('\n'),
);
const full = { maxOutputBytes: 4 << 20, complete: true };
const partial = { maxOutputBytes: 4 << 20, complete: false };

describe('decodeContent', () => {
  it('passes bodies through without a coding or with identity', () => {
    expect(decodeContent(text, undefined, full)).toEqual({ body: text, flags: [] });
    expect(decodeContent(text, 'identity', full)).toEqual({ body: text, flags: [] });
  });

  it('decodes gzip and x-gzip, names case-insensitive and whitespace-tolerant', () => {
    const gz = zlib.gzipSync(text);
    for (const name of ['gzip', 'x-gzip', ' GZip\t', 'X-GZIP']) {
      const r = decodeContent(gz, name, full);
      expect(r.flags).toEqual([]);
      expect(r.body.equals(text)).toBe(true);
    }
  });

  it('decodes zlib-wrapped and raw deflate', () => {
    for (const enc of [zlib.deflateSync(text), zlib.deflateRawSync(text)]) {
      const r = decodeContent(enc, 'deflate', full);
      expect(r.flags).toEqual([]);
      expect(r.body.equals(text)).toBe(true);
    }
  });

  it('replays as raw deflate when bytes that pass the zlib header check fail as zlib', () => {
    // A stored raw block of 29 bytes starts 0x08 0x1d: CM 8 and 0x081d % 31 === 0, a valid zlib header.
    const data = Buffer.from('twenty-nine bytes of content!');
    expect(data.length).toBe(29);
    const raw = Buffer.concat([Buffer.from([0x08, 29, 0, 0xff - 29, 0xff]), data, Buffer.from([0x01, 0, 0, 0xff, 0xff])]);
    expect(zlib.inflateRawSync(raw).equals(data)).toBe(true);
    const r = decodeContent(raw, 'deflate', full);
    expect(r.flags).toEqual([]);
    expect(r.body.equals(data)).toBe(true);
  });

  it('decodes brotli', () => {
    const r = decodeContent(zlib.brotliCompressSync(text), 'br', full);
    expect(r.flags).toEqual([]);
    expect(r.body.equals(text)).toBe(true);
  });

  it('decodes stacked codings in reverse order and flags them', () => {
    const gzThenBr = zlib.brotliCompressSync(zlib.gzipSync(text));
    const r = decodeContent(gzThenBr, 'gzip, br', full);
    expect(r.flags).toEqual(['content_encoding_stacked']);
    expect(r.body.equals(text)).toBe(true);

    const twice = zlib.gzipSync(zlib.gzipSync(text));
    const t = decodeContent(twice, 'GZIP,gzip', full);
    expect(t.flags).toEqual(['content_encoding_stacked']);
    expect(t.body.equals(text)).toBe(true);

    const mixed = zlib.deflateSync(zlib.brotliCompressSync(text));
    expect(decodeContent(mixed, 'Br , Deflate', full).body.equals(text)).toBe(true);
  });

  it('returns the raw bytes of an unknown coding', () => {
    const gz = zlib.gzipSync(text);
    expect(decodeContent(gz, 'compress', full)).toEqual({ body: gz, flags: ['content_encoding_unknown'] });
    expect(decodeContent(gz, 'compress, gzip', full)).toEqual({
      body: gz,
      flags: ['content_encoding_stacked', 'content_encoding_unknown'],
    });
  });

  it('treats zstd as unknown when node:zlib lacks it', () => {
    const r = decodeContent(text, 'zstd', full);
    if (!zstdAvailable) expect(r).toEqual({ body: text, flags: ['content_encoding_unknown'] });
    else expect(r.flags).toContain('content_decode_error');
  });

  it('decodes the first part of a truncated sample without an error', () => {
    const cases: Array<[string, Buffer]> = [
      ['gzip', zlib.gzipSync(text)],
      ['deflate', zlib.deflateSync(text)],
      ['deflate', zlib.deflateRawSync(text)],
      ['br', zlib.brotliCompressSync(text, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } })],
    ];
    for (const [name, enc] of cases) {
      const r = decodeContent(enc.subarray(0, Math.floor(enc.length / 2)), name, partial);
      expect(r.flags).toEqual([]);
      expect(r.body.length).toBeGreaterThan(0);
      expect(r.body.equals(text.subarray(0, r.body.length))).toBe(true);
    }
  });

  it('flags a complete body whose stream stops early, keeping what decoded', () => {
    const gz = zlib.gzipSync(text);
    const r = decodeContent(gz.subarray(0, gz.length - 100), 'gzip', full);
    expect(r.flags).toEqual(['content_decode_error']);
    expect(r.body.length).toBeGreaterThan(0);
    expect(r.body.equals(text.subarray(0, r.body.length))).toBe(true);
  });

  it('does not flag a sample cut inside the gzip header or before any output', () => {
    const gz = zlib.gzipSync(text);
    expect(decodeContent(gz.subarray(0, 5), 'gzip', partial)).toEqual({ body: Buffer.alloc(0), flags: [] });
  });

  it('cuts a gzip bomb at exactly the cap', () => {
    const bomb = zlib.gzipSync(Buffer.alloc(10 << 20));
    const cap = 1 << 20;
    for (const complete of [true, false]) {
      const r = decodeContent(bomb, 'gzip', { maxOutputBytes: cap, complete });
      expect(r.flags).toEqual(['decompression_bomb']);
      expect(r.body.length).toBe(cap);
      expect(r.body.every((b) => b === 0)).toBe(true);
    }
  });

  it('cuts deflate and brotli bombs without producing more than the cap', () => {
    const zeros = Buffer.alloc(10 << 20);
    const cap = 1 << 20;
    const d = decodeContent(zlib.deflateRawSync(zeros), 'deflate', { maxOutputBytes: cap, complete: true });
    expect(d.flags).toEqual(['decompression_bomb']);
    expect(d.body.length).toBe(cap);
    const b = decodeContent(zlib.brotliCompressSync(zeros), 'br', { maxOutputBytes: cap, complete: true });
    expect(b.flags).toEqual(['decompression_bomb']);
    expect(b.body.length).toBeLessThanOrEqual(cap);
    expect(b.body.every((x) => x === 0)).toBe(true);
  });

  it('keeps the cap on a bomb hidden under a second coding', () => {
    const nested = zlib.gzipSync(zlib.gzipSync(Buffer.alloc(10 << 20)));
    const r = decodeContent(nested, 'gzip, gzip', { maxOutputBytes: 1 << 20, complete: true });
    expect(r.flags).toEqual(['content_encoding_stacked', 'decompression_bomb']);
    expect(r.body.length).toBe(1 << 20);
  });

  it('does not flag output exactly at the cap', () => {
    const r = decodeContent(zlib.gzipSync(text), 'gzip', { maxOutputBytes: text.length, complete: true });
    expect(r.flags).toEqual([]);
    expect(r.body.equals(text)).toBe(true);
  });

  it('flags trailing garbage after a gzip member, a zlib stream and a brotli stream', () => {
    const junk = Buffer.from('\0\0garbage');
    const cases: Array<[string, Buffer]> = [
      ['gzip', zlib.gzipSync(text)],
      ['deflate', zlib.deflateSync(text)],
      ['deflate', zlib.deflateRawSync(text)],
      ['br', zlib.brotliCompressSync(text)],
    ];
    for (const [name, enc] of cases) {
      for (const complete of [true, false]) {
        const r = decodeContent(Buffer.concat([enc, junk]), name, { maxOutputBytes: 1 << 22, complete });
        expect(r.flags).toEqual(['content_trailing_garbage']);
        expect(r.body.equals(text)).toBe(true);
      }
    }
  });

  it('decodes every member of a multi-member gzip body', () => {
    const two = Buffer.concat([zlib.gzipSync(text), zlib.gzipSync(Buffer.from('tail'))]);
    const r = decodeContent(two, 'gzip', full);
    expect(r.flags).toEqual([]);
    expect(r.body.toString()).toBe(text.toString() + 'tail');
  });

  it('reads gzip headers with extra field, file name, comment and header CRC', () => {
    const plain = zlib.gzipSync(text);
    const deflated = plain.subarray(10);
    const header = Buffer.from([0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3]);
    const extra = Buffer.from([3, 0, 1, 2, 3]);
    const withFields = Buffer.concat([header, extra, Buffer.from('name.json\0a comment\0'), Buffer.from([0xaa, 0xbb]), deflated]);
    const r = decodeContent(withFields, 'gzip', full);
    expect(r.flags).toEqual([]);
    expect(r.body.equals(text)).toBe(true);
  });

  it('returns the raw bytes of a stream broken from the start', () => {
    const notGzip = Buffer.from('plain text, not gzip');
    expect(decodeContent(notGzip, 'gzip', full)).toEqual({ body: notGzip, flags: ['content_decode_error'] });
    const badBr = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(decodeContent(badBr, 'br', full)).toEqual({ body: badBr, flags: ['content_decode_error'] });
  });

  it('keeps what decoded before a corruption in the middle', () => {
    const stored = zlib.deflateRawSync(text, { level: 0 });
    // Stored blocks start with BTYPE then LEN and its complement NLEN; break the second block's NLEN.
    const broken = Buffer.from(stored);
    const second = 5 + stored.readUInt16LE(1);
    broken[second + 3] = (broken[second + 3] ?? 0) ^ 0xff;
    const r = decodeContent(broken, 'deflate', full);
    expect(r.flags).toEqual(['content_decode_error']);
    expect(r.body.length).toBe(stored.readUInt16LE(1));
    expect(r.body.equals(text.subarray(0, r.body.length))).toBe(true);
  });

  it('keeps the coding flags for an empty body', () => {
    expect(decodeContent(Buffer.alloc(0), 'gzip', full)).toEqual({ body: Buffer.alloc(0), flags: [] });
    expect(decodeContent(Buffer.alloc(0), 'gzip, br', full).flags).toEqual(['content_encoding_stacked']);
  });

  it('never throws on random bytes under any coding', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    for (let n = 0; n < 200; n++) {
      const buf = Buffer.from(Array.from({ length: 1 + (n % 97) }, rnd));
      for (const name of ['gzip', 'deflate', 'br', 'gzip, deflate']) {
        for (const complete of [true, false]) {
          const r = decodeContent(buf, name, { maxOutputBytes: 4096, complete });
          expect(r.body.length).toBeLessThanOrEqual(Math.max(4096, buf.length));
        }
      }
    }
  });
});
