// Reads the server_name (SNI, RFC 6066 §3) from a TLS ClientHello in the first record, as far as
// the bytes at hand go: an extension list cut short still yields the name if it came first.

const HANDSHAKE_CLIENT_HELLO = 1;
const EXT_SERVER_NAME = 0;
const NAME_TYPE_HOST = 0;
const RECORD_HEADER = 5;
/** RFC 6066: a host name is at most 255 bytes (a DNS name). */
const MAX_HOST_NAME = 255;

/** The SNI host name of the ClientHello in the TLS record at the start of `buf`, if readable. */
export function readClientHelloSni(buf: Buffer): string | undefined {
  if (buf.length < RECORD_HEADER) return undefined;
  const recordEnd = Math.min(buf.length, RECORD_HEADER + buf.readUInt16BE(3));
  let pos = RECORD_HEADER;
  // Handshake header (RFC 8446 §4): msg_type, uint24 length.
  if (pos + 4 > recordEnd || buf[pos] !== HANDSHAKE_CLIENT_HELLO) return undefined;
  const helloEnd = Math.min(recordEnd, pos + 4 + buf.readUIntBE(pos + 1, 3));
  pos += 4;
  pos += 2 + 32; // legacy_version, random
  pos = skipVector(buf, pos, 1, helloEnd); // legacy_session_id
  pos = skipVector(buf, pos, 2, helloEnd); // cipher_suites
  pos = skipVector(buf, pos, 1, helloEnd); // legacy_compression_methods
  if (pos < 0 || pos + 2 > helloEnd) return undefined;
  const extensionsEnd = Math.min(helloEnd, pos + 2 + buf.readUInt16BE(pos));
  pos += 2;
  while (pos + 4 <= extensionsEnd) {
    const type = buf.readUInt16BE(pos);
    const len = buf.readUInt16BE(pos + 2);
    pos += 4;
    if (type === EXT_SERVER_NAME) return readServerNameList(buf, pos, Math.min(extensionsEnd, pos + len));
    pos += len;
  }
  return undefined;
}

/** Offset after a vector with a `lenBytes`-byte length at `pos`; -1 when it runs past `end`. */
function skipVector(buf: Buffer, pos: number, lenBytes: 1 | 2, end: number): number {
  if (pos < 0 || pos + lenBytes > end) return -1;
  const len = lenBytes === 1 ? (buf[pos] ?? 0) : buf.readUInt16BE(pos);
  const next = pos + lenBytes + len;
  return next > end ? -1 : next;
}

function readServerNameList(buf: Buffer, pos: number, end: number): string | undefined {
  if (pos + 2 > end) return undefined;
  const listEnd = Math.min(end, pos + 2 + buf.readUInt16BE(pos));
  pos += 2;
  while (pos + 3 <= listEnd) {
    const nameType = buf[pos];
    const len = buf.readUInt16BE(pos + 1);
    pos += 3;
    if (pos + len > listEnd) return undefined;
    if (nameType === NAME_TYPE_HOST) return hostName(buf, pos, len);
    pos += len;
  }
  return undefined;
}

/** The name as lower-case ASCII, or undefined when it is empty, too long or not printable ASCII. */
function hostName(buf: Buffer, pos: number, len: number): string | undefined {
  if (len === 0 || len > MAX_HOST_NAME) return undefined;
  for (let i = pos; i < pos + len; i++) {
    const b = buf[i] ?? 0;
    if (b <= 0x20 || b >= 0x7f) return undefined;
  }
  return buf.toString('latin1', pos, pos + len).toLowerCase();
}
