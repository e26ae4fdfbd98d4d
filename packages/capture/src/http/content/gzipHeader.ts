// The gzip member header (RFC 1952 §2.3), parsed by hand so the deflate data inside can be
// decoded as raw deflate with its end known exactly (for multi-member and trailing-garbage checks).

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

export const GZIP_TRAILER_BYTES = 8;

/** Length of the gzip member header starting at `offset`: 0 when incomplete, -1 when not a gzip header. */
export function gzipHeaderLength(buf: Buffer, offset: number): number {
  const len = buf.length;
  if (offset < len && buf[offset] !== 0x1f) return -1;
  if (offset + 1 < len && buf[offset + 1] !== 0x8b) return -1;
  if (offset + 2 < len && buf[offset + 2] !== 8) return -1;
  if (offset + 10 > len) return 0;
  // Reserved flag bits are ignored, as Chromium's GZipHeader does, rather than rejected as RFC 1952 asks.
  const flags = buf[offset + 3] ?? 0;
  let pos = offset + 10;
  if ((flags & FEXTRA) !== 0) {
    if (pos + 2 > len) return 0;
    pos += 2 + buf.readUInt16LE(pos);
    if (pos > len) return 0;
  }
  if ((flags & FNAME) !== 0) {
    const nul = buf.indexOf(0, pos);
    if (nul < 0) return 0;
    pos = nul + 1;
  }
  if ((flags & FCOMMENT) !== 0) {
    const nul = buf.indexOf(0, pos);
    if (nul < 0) return 0;
    pos = nul + 1;
  }
  if ((flags & FHCRC) !== 0) {
    pos += 2;
    if (pos > len) return 0;
  }
  return pos - offset;
}
