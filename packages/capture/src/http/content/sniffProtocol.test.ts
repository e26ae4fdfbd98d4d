import { sniffProtocol, SNIFF_MAX_LINE_BYTES } from './sniffProtocol';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
const u24 = (n: number): number[] => [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const vec16 = (body: number[]): number[] => [...u16(body.length), ...body];

function extension(type: number, body: number[]): number[] {
  return [...u16(type), ...vec16(body)];
}

function sniExtension(host: string): number[] {
  const name = [...b(host)];
  return extension(0, vec16([0, ...u16(name.length), ...name]));
}

/** A TLS 1.2-style ClientHello record built field by field (RFC 8446 §4.1.2, RFC 6066 §3). */
function clientHello(extensions: number[][]): Buffer {
  const exts = extensions.flat();
  const hello = [
    0x03, 0x03, // legacy_version
    ...new Array<number>(32).fill(0xab), // random
    32, ...new Array<number>(32).fill(0x11), // legacy_session_id
    ...vec16([0x13, 0x01, 0x13, 0x02, 0xc0, 0x2f]), // cipher_suites
    1, 0, // legacy_compression_methods: null
    ...vec16(exts),
  ];
  const handshake = [1, ...u24(hello.length), ...hello];
  return Buffer.from([0x16, 0x03, 0x01, ...u16(handshake.length), ...handshake]);
}

const supportedVersions = extension(43, [4, 0x03, 0x04, 0x03, 0x03]);
const alpn = extension(16, vec16([2, ...b('h2'), 8, ...b('http/1.1')]));

describe('sniffProtocol', () => {
  it('recognises request lines, with CRLF or bare LF, and odd but valid methods', () => {
    for (const line of [
      'GET / HTTP/1.1\r\n',
      'POST /api/v1/login?x=1 HTTP/1.0\r\nHost: a\r\n',
      'GET /x HTTP/1.1\n',
      'PROPFIND /dav/ HTTP/1.1\r\n',
      "M-SEARCH * HTTP/1.1\r\n",
      "X_Y!#$%&'*+.^`|~ /p HTTP/1.1\r\n",
      'OPTIONS * HTTP/1.1\r\n',
      'CONNECT example.com:443 HTTP/1.1\r\n',
      'PRI /not-the-preface HTTP/1.1\r\n',
      '\r\nGET / HTTP/1.1\r\n',
    ]) {
      expect(sniffProtocol(b(line))).toEqual({ kind: 'http_request' });
    }
  });

  it('asks for more while a request line is a consistent prefix', () => {
    const line = 'GET /index.html HTTP/1.1\r\n';
    for (let n = 0; n < line.length; n++) expect(sniffProtocol(b(line.slice(0, n)))).toEqual({ kind: 'need_more' });
  });

  it('rejects what is not an HTTP/1.x request line', () => {
    for (const bad of [
      'GET / HTTP/2.0\r\n',
      'GET /\r\n',
      'GET  / HTTP/1.1\r\n',
      ' GET / HTTP/1.1\r\n',
      'GE\tT / HTTP/1.1\r\n',
      'GET / HTTP/1.x\r\n',
      'GET / HTTP/1.1\rX',
      'GET /a\x01b HTTP/1.1\r\n',
      'AVERYVERYVERYLONGMETHODNAME / HTTP/1.1\r\n',
      'hello world this is text',
      '{"json":true}',
    ]) {
      expect(sniffProtocol(b(bad))).toEqual({ kind: 'other' });
    }
  });

  it('gives up on a line longer than the cap without an end', () => {
    const long = b('GET /' + 'a'.repeat(SNIFF_MAX_LINE_BYTES));
    expect(sniffProtocol(long)).toEqual({ kind: 'other' });
    expect(sniffProtocol(long.subarray(0, SNIFF_MAX_LINE_BYTES - 10))).toEqual({ kind: 'need_more' });
    expect(sniffProtocol(Buffer.alloc(SNIFF_MAX_LINE_BYTES + 1, 0x0a))).toEqual({ kind: 'other' });
  });

  it('recognises status lines', () => {
    expect(sniffProtocol(b('HTTP/1.1 200 OK\r\n'))).toEqual({ kind: 'http_response' });
    expect(sniffProtocol(b('HTTP/1.0 404'))).toEqual({ kind: 'http_response' });
    expect(sniffProtocol(b('HTTP/1.1 20'))).toEqual({ kind: 'need_more' });
    expect(sniffProtocol(b('HTTP/1.'))).toEqual({ kind: 'need_more' });
    expect(sniffProtocol(b('HTTP/2 200\r\n'))).toEqual({ kind: 'other' });
    expect(sniffProtocol(b('HTTP/1.1 2x0'))).toEqual({ kind: 'other' });
  });

  it('recognises the HTTP/2 connection preface and waits while it is a prefix', () => {
    const preface = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
    expect(sniffProtocol(b(preface + '\x00\x00\x12\x04'))).toEqual({ kind: 'http2' });
    expect(sniffProtocol(b(preface))).toEqual({ kind: 'http2' });
    expect(sniffProtocol(b('PRI * HTTP/2.0\r\n'))).toEqual({ kind: 'need_more' });
  });

  it('recognises SSH', () => {
    expect(sniffProtocol(b('SSH-2.0-OpenSSH_9.6\r\n'))).toEqual({ kind: 'ssh' });
    expect(sniffProtocol(b('SS'))).toEqual({ kind: 'need_more' });
  });

  it('reads the SNI from a ClientHello', () => {
    const hello = clientHello([supportedVersions, sniExtension('API.Example.com'), alpn]);
    expect(sniffProtocol(hello)).toEqual({ kind: 'tls', sni: 'api.example.com' });
  });

  it('reports TLS without SNI when the extension is absent', () => {
    expect(sniffProtocol(clientHello([supportedVersions, alpn]))).toEqual({ kind: 'tls', sni: undefined });
  });

  it('waits for the whole first record before concluding there is no SNI', () => {
    const hello = clientHello([supportedVersions, alpn, sniExtension('late.example')]);
    for (const cut of [3, 5, 9, 40, 80, hello.length - 3]) {
      expect(sniffProtocol(hello.subarray(0, cut))).toEqual({ kind: 'need_more' });
    }
    expect(sniffProtocol(hello)).toEqual({ kind: 'tls', sni: 'late.example' });
  });

  it('reads the SNI from a record cut after the extension', () => {
    const hello = clientHello([sniExtension('early.example'), alpn]);
    expect(sniffProtocol(hello.subarray(0, hello.length - 5))).toEqual({ kind: 'tls', sni: 'early.example' });
  });

  it('survives lying length fields in a ClientHello', () => {
    const hello = clientHello([sniExtension('x.example')]);
    for (let i = 3; i < hello.length; i++) {
      for (const v of [0x00, 0xff, 0x80]) {
        const m = Buffer.from(hello);
        m[i] = v;
        const r = sniffProtocol(m);
        // A lying record length may ask for the rest of the record, never for more than one record.
        expect(i <= 4 ? ['tls', 'need_more'] : ['tls']).toContain(r.kind);
      }
    }
  });

  it('asks for more until the TLS record header is readable, and rejects other versions', () => {
    expect(sniffProtocol(Buffer.from([0x16]))).toEqual({ kind: 'need_more' });
    expect(sniffProtocol(Buffer.from([0x16, 0x03]))).toEqual({ kind: 'need_more' });
    expect(sniffProtocol(Buffer.from([0x16, 0x03, 0x05]))).toEqual({ kind: 'other' });
    expect(sniffProtocol(Buffer.from([0x16, 0x02, 0x00]))).toEqual({ kind: 'other' });
  });

  it('recognises an SSLv2-compatible ClientHello', () => {
    const v2 = Buffer.from([0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15]);
    expect(sniffProtocol(v2)).toEqual({ kind: 'tls', sni: undefined });
    expect(sniffProtocol(Buffer.from([0x80, 0x2e, 0x01, 0x00, 0x02]))).toEqual({ kind: 'tls', sni: undefined });
    expect(sniffProtocol(v2.subarray(0, 3))).toEqual({ kind: 'need_more' });
    expect(sniffProtocol(Buffer.from([0x80, 0x2e, 0x07, 0x03, 0x01]))).toEqual({ kind: 'other' });
  });

  it('calls binary garbage other and never throws on it', () => {
    expect(sniffProtocol(Buffer.from([0x00, 0x01, 0x02, 0x03]))).toEqual({ kind: 'other' });
    expect(sniffProtocol(Buffer.alloc(0))).toEqual({ kind: 'need_more' });
    let seed = 1;
    for (let n = 0; n < 2000; n++) {
      const buf = Buffer.alloc(1 + (n % 64));
      for (let i = 0; i < buf.length; i++) buf[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
      expect(() => sniffProtocol(buf)).not.toThrow();
    }
  });
});
