import { createRecordCodec } from '@sidetap/core';
import { z } from 'zod';
import { parseHead } from './headParser';
import { HttpMessage } from './httpMessage';

function parse(head: string, kind: 'request' | 'status' = 'request'): HttpMessage {
  const msg = new HttpMessage();
  const buf = Buffer.from(head, 'latin1');
  parseHead(buf, 0, buf.length, kind, msg);
  return msg;
}

describe('parseHead', () => {
  it('parses a request line and fields, lower-casing names in first-seen order', () => {
    const m = parse('PATCH /a/b?c=d HTTP/1.1\r\nHost: x\r\nX-Thing:  v1 \t\r\nAccept: a\r\nx-thing: v2\r\n\r\n');
    expect([m.method, m.target, m.version, m.isRequest]).toEqual(['PATCH', '/a/b?c=d', '1.1', true]);
    expect([...m.headers]).toEqual([
      ['host', 'x'],
      ['x-thing', 'v1, v2'],
      ['accept', 'a'],
    ]);
    expect(m.flags).toEqual([]);
  });
  it('keeps a field named __proto__ under [__proto__], where the bus and the schemas keep it too', () => {
    const m = parse('GET / HTTP/1.1\r\nHost: x\r\n__proto__: ${jndi:ldap://x/a}\r\nConstructor: c\r\n__PROTO__: b\r\n\r\n');
    expect(Object.getPrototypeOf(m.record)).toBe(Object.prototype);
    expect(Object.entries(m.record)).toEqual([
      ['host', 'x'],
      ['[__proto__]', '${jndi:ldap://x/a}, b'],
      ['constructor', 'c'],
    ]);
    // As an own "__proto__" key, MessagePack decoders refuse the record and zod records leave the field out.
    const codec = createRecordCodec('headers', z.record(z.string(), z.string()));
    expect(codec.decode(codec.encode(m.record))).toEqual(m.record);
  });
  it('parses a status line with and without reason', () => {
    const m = parse('HTTP/1.0 404 Not Found\r\n\r\n', 'status');
    expect([m.statusCode, m.reason, m.version, m.isRequest]).toEqual([404, 'Not Found', '1.0', false]);
    expect(parse('HTTP/1.1 204\r\n\r\n', 'status').reason).toBeUndefined();
  });
  it('flags bare LF line ends, including the blank line', () => {
    expect(parse('GET / HTTP/1.1\nHost: x\n\n').flags).toEqual(['http_bare_lf']);
    expect(parse('GET / HTTP/1.1\r\nHost: x\r\n\n').flags).toEqual(['http_bare_lf']);
  });
  it('unfolds obs-fold and flags it, in Transfer-Encoding too', () => {
    const m = parse('GET / HTTP/1.1\r\nX-A: one\r\n  two\r\nTransfer-Encoding:\r\n chunked\r\n\r\n');
    expect(m.header('x-a')).toBe('one two');
    expect(m.header('transfer-encoding')).toBe('chunked');
    expect(m.flags).toEqual(['http_obs_fold', 'http_te_obs_fold']);
  });
  it('drops malformed field lines and flags them', () => {
    for (const line of ['NoColon', ': empty', 'Transfer-Encoding : chunked', 'Bad Name: x', 'Bad\u00e9: x']) {
      const m = parse(`GET / HTTP/1.1\r\n${line}\r\nHost: h\r\n\r\n`);
      expect(m.flags).toEqual(['http_invalid_header']);
      expect([...m.headers.keys()]).toEqual(['host']);
    }
    expect(parse('GET / HTTP/1.1\r\n folded-first\r\n\r\n').flags).toEqual(['http_invalid_header']);
  });
  it('flags control bytes and bare CR in values', () => {
    expect(parse('GET / HTTP/1.1\r\nX: a\u0000b\r\n\r\n').flags).toEqual(['http_invalid_header']);
    expect(parse('GET / HTTP/1.1\r\nX: a\rb\r\n\r\n').flags).toEqual(['http_invalid_header']);
    expect(parse('GET / HTTP/1.1\r\nX: a\tb\u00ff\r\n\r\n').flags).toEqual([]);
  });
  it('counts Content-Length lines and notes Expect: 100-continue', () => {
    const m = parse('POST / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 5\r\nExpect: 100-Continue\r\n\r\n');
    expect(m.contentLengthLines).toBe(2);
    expect(m.header('content-length')).toBe('5, 5');
    expect(m.flags).toEqual(['http_expect_continue']);
  });
  it('flags a request target holding whitespace but keeps the exchange', () => {
    const m = parse('GET /a b HTTP/1.1\r\n\r\n');
    expect(m.flags).toEqual(['http_bad_request_line']);
    expect(m.target).toBe('/a b');
  });
  it('flags control bytes and bare CR in the request target (RFC 9112 §3.2)', () => {
    for (const target of ['/a\u0000b', '/a\rb', '/a\u000bb', '/a\u007fb']) {
      const m = parse(`GET ${target} HTTP/1.1\r\nHost: h\r\n\r\n`);
      expect([JSON.stringify(target), m.flags]).toEqual([JSON.stringify(target), ['http_bad_request_line']]);
    }
    expect(parse('GET /a\u00ffb HTTP/1.1\r\nX: \u0001\r\n\r\n').flags).toEqual(['http_invalid_header']);
  });
  it('flags a status code outside 100-599 (RFC 9110 §15)', () => {
    for (const code of ['000', '099', '600', '999']) {
      const m = parse(`HTTP/1.1 ${code} Odd\r\n\r\n`, 'status');
      expect([code, m.statusCode, m.flags]).toEqual([code, Number(code), ['http_bad_status_line']]);
    }
    expect(parse('HTTP/1.1 100 Continue\r\n\r\n', 'status').flags).toEqual([]);
    expect(parse('HTTP/1.1 599 X\r\n\r\n', 'status').flags).toEqual([]);
  });
  it('flags more than one Host field line (RFC 9112 §3.2), keeping both in the record', () => {
    const m = parse('GET / HTTP/1.1\r\nHost: a.test\r\nhost: b.test\r\n\r\n');
    expect([m.header('host'), m.flags]).toEqual(['a.test, b.test', ['http_ambiguous_host']]);
    expect(parse('GET / HTTP/1.1\r\nHost: a.test, b.test\r\n\r\n').flags).toEqual(['http_ambiguous_host']);
  });
  it('flags an absolute-form target whose host differs from Host (RFC 9112 §3.2.2)', () => {
    expect(parse('GET http://a.test/x HTTP/1.1\r\nHost: b.test\r\n\r\n').flags).toEqual(['http_ambiguous_host']);
    expect(parse('GET http://A.test:80/x HTTP/1.1\r\nHost: a.test:80\r\n\r\n').flags).toEqual([]);
    expect(parse('GET http://a.test/x HTTP/1.1\r\n\r\n').flags).toEqual([]);
  });
  it('keeps every one of thousands of distinct field names (speed is measured in npm run bench)', () => {
    let fields = '';
    let n = 0;
    for (; fields.length < 60_000; n++) fields += `h${n.toString(36)}:\r\n`;
    const m = parse(`GET / HTTP/1.1\r\n${fields}\r\n`);
    expect(Object.keys(m.record ?? {}).length).toBe(n);
  });
  it('parses a head cut at the size limit (no blank line)', () => {
    const m = parse('GET / HTTP/1.1\r\nHost: h\r\n');
    expect(m.header('host')).toBe('h');
  });
});
