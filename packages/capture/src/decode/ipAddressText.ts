// IP addresses as text, built from the packet bytes. Small direct-mapped caches hand back the same
// string object for an address seen again, so a busy flow costs no string building, and the
// flow table downstream hashes a string whose hash V8 has already cached.

const DECIMAL: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));
const V4_SLOTS = 1024;
const V6_SLOTS = 256;

export class IpAddressText {
  private readonly v4Keys = new Uint32Array(V4_SLOTS);
  private readonly v4Text: Array<string | undefined> = new Array<string | undefined>(V4_SLOTS).fill(undefined);
  private readonly v6Keys = Buffer.alloc(V6_SLOTS * 16);
  private readonly v6Text: Array<string | undefined> = new Array<string | undefined>(V6_SLOTS).fill(undefined);

  /** Dotted decimal text of the 4 bytes at `off`. */
  ipv4(buf: Buffer, off: number): string {
    const key = buf.readUInt32BE(off);
    const slot = Math.imul(key, 0x9e3779b1) >>> 22;
    const cached = this.v4Text[slot];
    if (cached !== undefined && this.v4Keys[slot] === key) return cached;
    const text = dottedQuad(buf, off);
    this.v4Keys[slot] = key;
    this.v4Text[slot] = text;
    return text;
  }

  /** RFC 5952 text of the 16 bytes at `off`. */
  ipv6(buf: Buffer, off: number): string {
    const w0 = buf.readUInt32BE(off);
    const w1 = buf.readUInt32BE(off + 4);
    const w2 = buf.readUInt32BE(off + 8);
    const w3 = buf.readUInt32BE(off + 12);
    const slot = Math.imul(w0 ^ w1 ^ w2 ^ w3 ^ (w3 >>> 13), 0x9e3779b1) >>> 24;
    const cached = this.v6Text[slot];
    const keys = this.v6Keys;
    const k = slot << 4;
    if (
      cached !== undefined &&
      keys.readUInt32BE(k) === w0 &&
      keys.readUInt32BE(k + 4) === w1 &&
      keys.readUInt32BE(k + 8) === w2 &&
      keys.readUInt32BE(k + 12) === w3
    ) {
      return cached;
    }
    const text = formatIpv6(buf, off);
    buf.copy(keys, k, off, off + 16);
    this.v6Text[slot] = text;
    return text;
  }
}

function dottedQuad(buf: Buffer, off: number): string {
  return `${DECIMAL[buf[off]!]!}.${DECIMAL[buf[off + 1]!]!}.${DECIMAL[buf[off + 2]!]!}.${DECIMAL[buf[off + 3]!]!}`;
}

/** RFC 5952: lower case, no leading zeros, the longest (first on a tie) run of 2+ zero groups as `::`. */
export function formatIpv6(buf: Buffer, off: number): string {
  // IPv4-mapped (::ffff:0:0/96, RFC 4291 §2.5.5.2) keeps its dotted tail (RFC 5952 §5).
  if (buf.readUInt32BE(off) === 0 && buf.readUInt32BE(off + 4) === 0 && buf.readUInt32BE(off + 8) === 0xffff) {
    return `::ffff:${dottedQuad(buf, off + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  let runStart = -1;
  for (let g = 0; g < 8; g++) {
    if (buf.readUInt16BE(off + 2 * g) === 0) {
      if (runStart < 0) runStart = g;
      const runLen = g - runStart + 1;
      if (runLen > bestLen) {
        bestStart = runStart;
        bestLen = runLen;
      }
    } else {
      runStart = -1;
    }
  }
  let text = '';
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      text += '::';
      g += bestLen - 1;
      continue;
    }
    if (text !== '' && !text.endsWith(':')) text += ':';
    text += buf.readUInt16BE(off + 2 * g).toString(16);
  }
  return text;
}
