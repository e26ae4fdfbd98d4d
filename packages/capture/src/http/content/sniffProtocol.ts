// Classifies a connection by the first bytes one peer sent, so capture parses HTTP/1.x and
// names (rather than misparses) TLS, HTTP/2 and SSH. Works on the Buffer in place; no strings.
import { readClientHelloSni } from './tlsClientHello';

export type SniffResult =
  | { kind: 'http_request' }
  | { kind: 'http_response' }
  | { kind: 'tls'; sni: string | undefined }
  | { kind: 'http2' }
  | { kind: 'ssh' }
  | { kind: 'other' }
  | { kind: 'need_more' };

/** A request line longer than this without a line end is not taken for HTTP. */
export const SNIFF_MAX_LINE_BYTES = 8192;
const MAX_METHOD_BYTES = 20;

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const SSH_PREFIX = Buffer.from('SSH-', 'latin1');
const HTTP1_PREFIX = Buffer.from('HTTP/1.', 'latin1');

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;

// RFC 9110 §5.6.2 tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

const NEED_MORE: SniffResult = { kind: 'need_more' };
const OTHER: SniffResult = { kind: 'other' };
const HTTP_REQUEST: SniffResult = { kind: 'http_request' };
const HTTP_RESPONSE: SniffResult = { kind: 'http_response' };
const HTTP2: SniffResult = { kind: 'http2' };
const SSH: SniffResult = { kind: 'ssh' };
const TLS_NO_SNI: SniffResult = { kind: 'tls', sni: undefined };

type Match = 'yes' | 'no' | 'partial';

/** Classify the first bytes a peer sent on a connection. */
export function sniffProtocol(first: Buffer): SniffResult {
  const b0 = first[0];
  if (b0 === undefined) return NEED_MORE;
  if (b0 === 0x16) return sniffTlsRecord(first);
  if ((b0 & 0x80) !== 0) return sniffSslv2Hello(first);

  const ssh = matchPrefix(first, 0, SSH_PREFIX);
  if (ssh !== 'no') return ssh === 'yes' ? SSH : NEED_MORE;
  const preface = matchPrefix(first, 0, HTTP2_PREFACE);
  if (preface === 'yes') return HTTP2;
  // "PRI * HTTP/2.0" could still turn out to be the preface; any other PRI request is HTTP/1.
  if (preface === 'partial') return NEED_MORE;
  if (b0 === 0x48 && first[4] === 0x2f) return sniffStatusLine(first);
  return sniffRequestLine(first);
}

function matchPrefix(buf: Buffer, offset: number, prefix: Buffer): Match {
  const n = Math.min(prefix.length, buf.length - offset);
  for (let i = 0; i < n; i++) if (buf[offset + i] !== prefix[i]) return 'no';
  return n === prefix.length ? 'yes' : 'partial';
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

/** "HTTP/1." DIGIT SP 3DIGIT (RFC 9112 §4). */
function sniffStatusLine(buf: Buffer): SniffResult {
  const version = matchPrefix(buf, 0, HTTP1_PREFIX);
  if (version !== 'yes') return version === 'no' ? OTHER : NEED_MORE;
  const checks = [isDigit, (b: number | undefined) => b === SP, isDigit, isDigit, isDigit];
  for (let i = 0; i < checks.length; i++) {
    const at = HTTP1_PREFIX.length + i;
    if (at >= buf.length) return NEED_MORE;
    if (!checks[i]?.(buf[at])) return OTHER;
  }
  return HTTP_RESPONSE;
}

/** method SP request-target SP "HTTP/1." DIGIT (CRLF | LF) (RFC 9112 §3). */
function sniffRequestLine(buf: Buffer): SniffResult {
  const len = buf.length;
  let pos = 0;
  // RFC 9112 §2.2: a server SHOULD ignore empty lines received before the request line.
  while (pos < len && (buf[pos] === CR || buf[pos] === LF)) pos++;
  if (pos >= SNIFF_MAX_LINE_BYTES) return OTHER;
  const lineStart = pos;

  while (pos < len && TCHAR[buf[pos] ?? 0] === 1) pos++;
  const methodLen = pos - lineStart;
  if (methodLen > MAX_METHOD_BYTES) return OTHER;
  if (pos >= len) return NEED_MORE;
  if (methodLen === 0 || buf[pos] !== SP) return OTHER;
  pos++;

  const targetStart = pos;
  const limit = Math.min(len, lineStart + SNIFF_MAX_LINE_BYTES);
  while (pos < limit) {
    const b = buf[pos] ?? 0;
    if (b === SP) break;
    // A request target is visible ASCII (RFC 3986 plus the obs-text servers tolerate); a
    // control byte means this is not a request line (HTTP/0.9 "GET /\r\n" included).
    if (b < 0x21 || b === 0x7f) return OTHER;
    pos++;
  }
  if (pos >= limit) return len >= lineStart + SNIFF_MAX_LINE_BYTES ? OTHER : NEED_MORE;
  if (pos === targetStart) return OTHER;
  pos++;

  const version = matchPrefix(buf, pos, HTTP1_PREFIX);
  if (version !== 'yes') return version === 'no' ? OTHER : NEED_MORE;
  pos += HTTP1_PREFIX.length;
  if (pos >= len) return NEED_MORE;
  if (!isDigit(buf[pos])) return OTHER;
  pos++;
  if (pos >= len) return NEED_MORE;
  if (buf[pos] === LF) return HTTP_REQUEST;
  if (buf[pos] !== CR) return OTHER;
  pos++;
  if (pos >= len) return NEED_MORE;
  return buf[pos] === LF ? HTTP_REQUEST : OTHER;
}

/** TLS record header (RFC 8446 §5.1): handshake(22), legacy version 3.0 to 3.4. */
function sniffTlsRecord(buf: Buffer): SniffResult {
  if (buf.length < 3) return buf.length < 2 || buf[1] === 3 ? NEED_MORE : OTHER;
  if (buf[1] !== 3 || (buf[2] ?? 0xff) > 4) return OTHER;
  const sni = readClientHelloSni(buf);
  if (sni !== undefined) return { kind: 'tls', sni };
  // A post-quantum ClientHello spans several TCP segments: wait for the whole first record
  // (at most 2^14 + 2048 bytes, RFC 8446 §5.2) so its server_name is not lost.
  if (buf.length < 5) return NEED_MORE;
  const recordEnd = 5 + buf.readUInt16BE(3);
  return buf.length < recordEnd && recordEnd <= 5 + (1 << 14) + 2048 ? NEED_MORE : TLS_NO_SNI;
}

/**
 * SSLv2-compatible CLIENT-HELLO (RFC 6101 appendix E.2; RFC 5246 appendix E.2): two-byte length
 * with the high bit set, msg_type 1, then version 0.2 (SSLv2) or 3.x.
 */
function sniffSslv2Hello(buf: Buffer): SniffResult {
  const type = buf[2];
  const major = buf[3];
  const minor = buf[4];
  if (type !== undefined && type !== 1) return OTHER;
  if (major !== undefined && major !== 0 && major !== 3) return OTHER;
  if (major === undefined || minor === undefined) return NEED_MORE;
  if (major === 0 ? minor === 2 : minor <= 4) return TLS_NO_SNI;
  return OTHER;
}
