import { couldBeStartLine, findStartLine, startLineKind } from './startLine';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const kind = (s: string, strict = false, expect: 'request' | 'status' | 'either' = 'either') => startLineKind(b(s), 0, s.length, expect, strict);

describe('startLineKind', () => {
  it('recognises request and status lines, with or without CR', () => {
    expect(kind('GET / HTTP/1.1\r')).toBe('request');
    expect(kind('post /x?y HTTP/1.0')).toBe('request');
    expect(kind('HTTP/1.1 200 OK\r')).toBe('status');
    expect(kind('HTTP/1.0 404')).toBe('status');
  });
  it('rejects what is not a start line', () => {
    for (const s of ['GET /', 'GET  HTTP/1.1', 'GET / HTTP/1.1 ', 'HTTP/1.1 20 OK', 'HTTP/1.1 2000', 'Host: x', '', 'GE(T / HTTP/1.1', 'GET / http/1.1']) {
      expect(kind(s)).toBe('invalid');
    }
  });
  it('outside strict mode, takes extra spaces between method and target (as nginx and Node do)', () => {
    expect(kind('GET  / HTTP/1.1\r')).toBe('request');
    expect(kind('POST   /a HTTP/1.1')).toBe('request');
    expect(kind('GET   HTTP/1.1')).toBe('invalid');
    expect(kind('GET  / HTTP/1.1', true)).toBe('invalid');
  });
  it('honours the expected kind', () => {
    expect(kind('GET / HTTP/1.1', false, 'status')).toBe('invalid');
    expect(kind('HTTP/1.1 200 OK', false, 'request')).toBe('invalid');
  });
  it('strict mode wants upper-case methods and version 1', () => {
    expect(kind('get / HTTP/1.1', true)).toBe('invalid');
    expect(kind('GET / HTTP/2.0', true)).toBe('invalid');
    expect(kind('HTTP/2.0 200 OK', true)).toBe('invalid');
    expect(kind('HTTP/2.0 200 OK', false)).toBe('status');
  });
});

describe('findStartLine', () => {
  it('finds a start line at a line start only', () => {
    const s = b('xx GET / HTTP/1.1\r\nbody\nGET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    expect(findStartLine(s, 0, true, 'request')).toBe(24);
    expect(findStartLine(b('GET / HTTP/1.1\r\n'), 0, true, 'request')).toBe(0);
    expect(findStartLine(b('GET / HTTP/1.1\r\n'), 0, false, 'request')).toBe(-1);
  });
  it('offers a cut-off line that may still become a start line', () => {
    expect(findStartLine(b('junk\nGET /lo'), 0, true, 'request')).toBe(5);
    expect(findStartLine(b('junk\nHTTP/1'), 0, true, 'status')).toBe(5);
    expect(findStartLine(b('junk\nhello'), 0, true, 'either')).toBe(-1);
  });
  it('couldBeStartLine checks the prefix', () => {
    expect(couldBeStartLine(b('GET'), 0, 3, 'request')).toBe(true);
    expect(couldBeStartLine(b('GET /'), 0, 5, 'request')).toBe(true);
    expect(couldBeStartLine(b('GET  '), 0, 5, 'request')).toBe(false);
    expect(couldBeStartLine(b('Get'), 0, 3, 'request')).toBe(false);
    expect(couldBeStartLine(b('HTTP/1.'), 0, 7, 'status')).toBe(true);
    expect(couldBeStartLine(b('HTTP/2'), 0, 6, 'status')).toBe(false);
  });
});
