// Whether a message head holds a byte no field line may hold: a control byte other than HTAB,
// CR and LF, DEL, or a CR not followed by LF. Nearly every head is clean, so parseHead asks this
// once per head and only looks for the offending field when the answer is yes. The scan reads
// four bytes at a time (SWAR) and looks at single bytes only in words holding a byte below 0x20
// or DEL: about twice per line, for its CR LF.

const HTAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const DEL = 0x7f;

// A view of the last ArrayBuffer scanned (so at most one is kept alive): heads from one read or
// reassembly buffer share it.
let viewed: ArrayBufferLike | undefined;
let words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

/** True when buf[start, end) holds a control byte other than HTAB, CR, LF, or DEL, or a CR not followed by LF (within the range). */
export function hasSuspiciousByte(buf: Buffer, start: number, end: number): boolean {
  const ab = buf.buffer;
  const off = buf.byteOffset;
  if (ab !== viewed) {
    viewed = ab;
    words = new Uint32Array(ab, 0, ab.byteLength >>> 2);
  }
  let k = start;
  const aligned = Math.min(end, k + ((4 - ((off + k) & 3)) & 3));
  for (; k < aligned; k++) if (suspiciousAt(buf, k, end)) return true;
  const wEnd = (off + end) >>> 2;
  for (let w = (off + k) >>> 2; w < wEnd; w++) {
    const x = words[w] as number;
    const del = x ^ 0x7f7f7f7f;
    // High bit of a byte set when some byte is below 0x20, or equals DEL (exact for "any").
    if ((((x - 0x20202020) & ~x) | ((del - 0x01010101) & ~del)) & 0x80808080) {
      const p = w * 4 - off;
      for (let j = p; j < p + 4; j++) if (suspiciousAt(buf, j, end)) return true;
    }
  }
  for (k = Math.max(start, wEnd * 4 - off); k < end; k++) if (suspiciousAt(buf, k, end)) return true;
  return false;
}

function suspiciousAt(buf: Buffer, k: number, end: number): boolean {
  const b = buf[k] as number;
  if (b >= 0x20) return b === DEL;
  if (b === HTAB || b === LF) return false;
  if (b === CR) return k + 1 >= end || buf[k + 1] !== LF;
  return true;
}
