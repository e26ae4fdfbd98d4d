import { requestFraming, responseFraming } from './bodyFraming';
import { parseHead } from './headParser';
import { HttpMessage } from './httpMessage';

function msg(head: string): HttpMessage {
  const m = new HttpMessage();
  const buf = Buffer.from(head + '\r\n', 'latin1');
  parseHead(buf, 0, buf.length, head.startsWith('HTTP/') ? 'status' : 'request', m);
  return m;
}
const req = (fields: string) => msg(`POST / HTTP/1.1\r\n${fields}`);
const res = (status: string, fields = '') => msg(`HTTP/1.1 ${status}\r\n${fields}`);

describe('requestFraming', () => {
  it('no body without framing headers; Content-Length otherwise', () => {
    expect(requestFraming(req(''))).toBe('none');
    const m = req('Content-Length: 12\r\n');
    expect([requestFraming(m), m.contentLength]).toEqual(['length', 12]);
    expect(requestFraming(req('Content-Length: 0\r\n'))).toBe('none');
  });
  it('chunked wins over Content-Length, flagged', () => {
    const m = req('Content-Length: 5\r\nTransfer-Encoding: chunked\r\n');
    expect([requestFraming(m), m.flags]).toEqual(['chunked', ['http_content_length_and_chunked']]);
  });
  it('a request whose last coding is not chunked cannot be framed', () => {
    for (const te of ['gzip', 'chunked, gzip', 'identity', '']) {
      const m = req(`Transfer-Encoding: ${te}\r\n`);
      expect([te, requestFraming(m), m.flags.includes('http_unsupported_transfer_encoding')]).toEqual([te, 'resync', true]);
    }
  });
  it('keeps other transfer codings under chunked for decoding, flagged', () => {
    const m = req('Transfer-Encoding: gzip, chunked\r\n');
    expect([requestFraming(m), m.extraTransferCodings, m.flags]).toEqual(['chunked', 'gzip', ['http_unsupported_transfer_encoding']]);
  });
  it('duplicate Content-Length: same value accepted, different or invalid values not', () => {
    const same = req('Content-Length: 3\r\nContent-Length: 3\r\n');
    expect([requestFraming(same), same.flags]).toEqual(['length', ['http_duplicate_content_length']]);
    const list = req('Content-Length: 3, 3\r\n');
    expect([requestFraming(list), list.flags]).toEqual(['length', ['http_duplicate_content_length']]);
    const differ = req('Content-Length: 3\r\nContent-Length: 4\r\n');
    expect([requestFraming(differ), differ.flags]).toEqual(['resync', ['http_duplicate_content_length', 'http_invalid_content_length']]);
    for (const v of ['-1', '+5', '0x10', '1e3', '', '9999999999999999', '5 5']) {
      const m = req(`Content-Length: ${v}\r\n`);
      expect([v, requestFraming(m), m.flags]).toEqual([v, 'resync', ['http_invalid_content_length']]);
    }
  });
});

describe('requestFraming: list elements and number forms (RFC 9112 §6.1, §6.3; RFC 9110 §5.6.1, §8.6)', () => {
  it('trims only SP and HTAB around list elements: chunked followed by NBSP or VT is not chunked', () => {
    for (const te of ['chunked\u00a0', '\u00a0chunked', 'chunked\u000b', 'chunked\u000c']) {
      const m = req(`Transfer-Encoding: ${te}\r\nContent-Length: 5\r\n`);
      expect([JSON.stringify(te), requestFraming(m), m.flags.includes('http_unsupported_transfer_encoding')]).toEqual([JSON.stringify(te), 'resync', true]);
    }
    const cl = req('Content-Length: 5,\u00a05\r\n');
    expect([requestFraming(cl), cl.flags]).toEqual(['resync', ['http_duplicate_content_length', 'http_invalid_content_length']]);
  });
  it('accepts Content-Length with leading zeros beyond 15 digits (1*DIGIT), as Node and nginx do', () => {
    const m = req(`Content-Length: ${'0'.repeat(20)}5\r\n`);
    expect([requestFraming(m), m.contentLength, m.flags]).toEqual(['length', 5, []]);
    const zero = req(`Content-Length: ${'0'.repeat(20)}\r\n`);
    expect([requestFraming(zero), zero.flags]).toEqual(['none', []]);
  });
  it('flags Transfer-Encoding in an HTTP/1.0 message (framing faulty, RFC 9112 §6.1) but still de-chunks', () => {
    const m = msg('POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n');
    expect([requestFraming(m), m.flags]).toEqual(['chunked', ['http_te_in_http10']]);
    const r = msg('HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n');
    expect([responseFraming(r, 'GET'), r.flags]).toEqual(['chunked', ['http_te_in_http10']]);
    const ok = req('Transfer-Encoding: chunked\r\n');
    expect([requestFraming(ok), ok.flags]).toEqual(['chunked', []]);
  });
});

describe('responseFraming', () => {
  it('HEAD, 1xx, 204, 304 have no body whatever the headers say', () => {
    expect(responseFraming(res('200 OK', 'Content-Length: 10\r\n'), 'HEAD')).toBe('none');
    expect(responseFraming(res('204 No Content', 'Content-Length: 10\r\n'), 'GET')).toBe('none');
    expect(responseFraming(res('304 Not Modified', 'Transfer-Encoding: chunked\r\n'), 'GET')).toBe('none');
    expect(responseFraming(res('103 Early Hints'), 'GET')).toBe('none');
  });
  it('101 upgrades, a 2xx to CONNECT opens a tunnel', () => {
    expect(responseFraming(res('101 Switching Protocols'), 'GET')).toBe('upgrade');
    expect(responseFraming(res('200 Connection Established'), 'CONNECT')).toBe('connect');
    expect(responseFraming(res('407 Proxy Auth', 'Content-Length: 0\r\n'), 'CONNECT')).toBe('none');
  });
  it('without framing headers, or with a coding other than chunked last, the body runs to the close', () => {
    const m = res('200 OK');
    expect([responseFraming(m, 'GET'), m.flags]).toEqual(['close', ['http_close_delimited']]);
    const g = res('200 OK', 'Transfer-Encoding: gzip\r\n');
    expect([responseFraming(g, 'GET'), g.flags]).toEqual(['close', ['http_unsupported_transfer_encoding', 'http_close_delimited']]);
  });
  it('frames by chunked or Content-Length', () => {
    expect(responseFraming(res('200 OK', 'Transfer-Encoding: Chunked\r\n'), 'GET')).toBe('chunked');
    expect(responseFraming(res('200 OK', 'Content-Length: 7\r\n'), undefined)).toBe('length');
  });
});
