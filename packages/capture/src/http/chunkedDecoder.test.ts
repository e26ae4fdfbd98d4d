import { ChunkedDecoder } from './chunkedDecoder';
import { HttpMessage } from './httpMessage';
import { SampleBudget } from './sampleBudget';

/** Decodes `body` fed in pieces of `step` bytes; returns the message, final state and bytes used. */
function decode(body: string, step = body.length) {
  const msg = new HttpMessage();
  const dec = new ChunkedDecoder(1024, { cap: 1 << 16, budget: new SampleBudget(1 << 30) });
  const buf = Buffer.from(body, 'latin1');
  let used = 0;
  for (let i = 0; i < buf.length && dec.state !== 'done' && dec.state !== 'error'; i += step) {
    const piece = buf.subarray(i, Math.min(buf.length, i + step));
    used = i + dec.feed(piece, 0, msg);
  }
  return { msg, state: dec.state, used, text: msg.rawSample().raw.toString('latin1') };
}

describe('ChunkedDecoder', () => {
  it('de-chunks and stops right after the last chunk', () => {
    const r = decode('5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nGET /next');
    expect([r.state, r.text, r.msg.bodyBytes, r.used, r.msg.flags]).toEqual(['done', 'hello world', 11, 26, []]);
  });
  it('gives the same result fed one byte at a time', () => {
    const r = decode('5\r\nhello\r\nA;ext=1\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n', 1);
    expect([r.state, r.text]).toEqual(['done', 'hello0123456789']);
    expect(r.msg.flags).toEqual(['http_chunk_extension', 'http_trailers']);
  });
  it('tolerates whitespace around the size, mixed-case hex and bare LF', () => {
    const r = decode(' a \r\n0123456789\r\nB\n01234567890\n0\n\n');
    expect([r.state, r.msg.bodyBytes]).toEqual(['done', 21]);
    expect(r.msg.flags).toEqual(['http_bare_lf']);
    expect(decode('aB\r\n' + 'x'.repeat(171) + '\r\n0\r\n\r\n').msg.bodyBytes).toBe(171);
  });
  it('flags extensions and trailers', () => {
    expect(decode('3;name="v"\r\nabc\r\n0\r\n\r\n').msg.flags).toEqual(['http_chunk_extension']);
    expect(decode('0\r\nA: b\r\nC: d\r\n\r\n').msg.flags).toEqual(['http_trailers']);
  });
  it('fails on a size that is not hex, is empty, too long, or followed by junk', () => {
    for (const bad of ['zz\r\n', '\r\n', '12345678901234\r\n', '5 5\r\nhello\r\n', '-1\r\n', '0x5\r\n']) {
      const r = decode(bad + 'hello\r\n0\r\n\r\n');
      expect([bad, r.state, r.msg.flags]).toEqual([bad, 'error', ['http_bad_chunk_size']]);
    }
  });
  it('fails when chunk data is not followed by a line end', () => {
    expect(decode('3\r\nabcdef\r\n0\r\n\r\n').state).toBe('error');
  });
  it('accepts leading zeros in a chunk size (1*HEXDIG, RFC 9112 §7.1), as Node and nginx do', () => {
    const r = decode(`${'0'.repeat(20)}5\r\nhello\r\n${'0'.repeat(20)}\r\n\r\n`);
    expect([r.state, r.text, r.msg.flags]).toEqual(['done', 'hello', []]);
    expect(decode('00000000000000fffffffffffff\r\n').state).toBe('data');
    expect(decode('0000000000000010000000000000\r\n').state).toBe('error');
  });
  it('fails on an endless size line (extension) and an oversized trailer section', () => {
    expect(decode('5;' + 'e'.repeat(5000)).state).toBe('error');
    const r = decode('0\r\n' + 'X: y\r\n'.repeat(300));
    expect([r.state, r.msg.flags]).toEqual(['error', ['http_trailers', 'headers_too_large']]);
  });
});
