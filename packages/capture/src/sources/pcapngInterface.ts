// One pcapng interface (Interface Description Block): link type, snaplen, and how its 64-bit
// timestamps turn into microseconds (if_tsresol, if_tsoffset).
import { normalizeLinktype } from './linktypes';

const OPT_END = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;
const TWO_POW_32 = 4_294_967_296;
const TWO_POW_16 = 65_536;
/** Long division below keeps every intermediate under 2^53 only for divisors up to this. */
const MAX_EXACT_DIVISOR = 2 ** 36;

export class PcapngInterface {
  readonly linktype: number;
  readonly snaplen: number;
  /** Timestamp units per second (1e6 unless if_tsresol says otherwise). */
  private readonly unitsPerSecond: number;
  private readonly exact: boolean;
  private readonly offsetUs: number;

  constructor(linktypeField: number, snaplen: number, unitsPerSecond: number, offsetSeconds: number) {
    this.linktype = normalizeLinktype(linktypeField);
    this.snaplen = snaplen;
    this.unitsPerSecond = unitsPerSecond;
    this.exact = Number.isInteger(unitsPerSecond) && unitsPerSecond >= 1 && unitsPerSecond <= MAX_EXACT_DIVISOR;
    this.offsetUs = offsetSeconds * 1e6;
  }

  /** Reads an IDB body: buf[pos] is the block start, `end` the start of its trailing length. */
  static fromBlock(buf: Buffer, pos: number, end: number, littleEndian: boolean): PcapngInterface {
    const linktype = littleEndian ? buf.readUInt16LE(pos + 8) : buf.readUInt16BE(pos + 8);
    const snaplen = littleEndian ? buf.readUInt32LE(pos + 12) : buf.readUInt32BE(pos + 12);
    let unitsPerSecond = 1e6;
    let offsetSeconds = 0;
    let opt = pos + 16;
    // A malformed option list ends option parsing: the options only refine timestamps.
    while (opt + 4 <= end) {
      const code = littleEndian ? buf.readUInt16LE(opt) : buf.readUInt16BE(opt);
      const length = littleEndian ? buf.readUInt16LE(opt + 2) : buf.readUInt16BE(opt + 2);
      const value = opt + 4;
      if (code === OPT_END || value + length > end) break;
      if (code === OPT_IF_TSRESOL && length >= 1) unitsPerSecond = unitsFromTsresol(buf[value] ?? 6);
      if (code === OPT_IF_TSOFFSET && length >= 8) {
        offsetSeconds = littleEndian
          ? buf.readInt32LE(value + 4) * TWO_POW_32 + buf.readUInt32LE(value)
          : buf.readInt32BE(value) * TWO_POW_32 + buf.readUInt32BE(value + 4);
      }
      opt = value + ((length + 3) & ~3);
    }
    return new PcapngInterface(linktype, snaplen, unitsPerSecond, offsetSeconds);
  }

  /** Microseconds since the epoch for the 64-bit timestamp high:low in this interface's units. */
  toUs(high: number, low: number): number {
    const units = this.unitsPerSecond;
    if (units === 1e6) return high * TWO_POW_32 + low + this.offsetUs;
    if (!this.exact) return (high * TWO_POW_32 + low) * (1e6 / units) + this.offsetUs;
    // high:low may exceed 2^53 (nanoseconds do after 1970+104 days), so split it into whole
    // seconds and a remainder by long division in 16-bit digits, each step exact in a double.
    let rest = high >>> 16;
    const q3 = Math.floor(rest / units);
    rest = (rest - q3 * units) * TWO_POW_16 + (high & 0xffff);
    const q2 = Math.floor(rest / units);
    rest = (rest - q2 * units) * TWO_POW_16 + (low >>> 16);
    const q1 = Math.floor(rest / units);
    rest = (rest - q1 * units) * TWO_POW_16 + (low & 0xffff);
    const q0 = Math.floor(rest / units);
    rest -= q0 * units;
    const seconds = ((q3 * TWO_POW_16 + q2) * TWO_POW_16 + q1) * TWO_POW_16 + q0;
    return seconds * 1e6 + (rest * 1e6) / units + this.offsetUs;
  }
}

/** if_tsresol: high bit clear means 10^-n seconds, set means 2^-n seconds. */
export function unitsFromTsresol(tsresol: number): number {
  const exponent = tsresol & 0x7f;
  return (tsresol & 0x80) === 0 ? 10 ** exponent : 2 ** exponent;
}
