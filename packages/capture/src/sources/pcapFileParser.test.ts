import { CaptureFileError } from './captureFileError';
import { LINKTYPE } from './linktypes';
import { packetReader } from './testReadAll';

// --- tiny pcap byte builder -----------------------------------------------------------------
const MICROS = 0xa1b2c3d4;
const NANOS = 0xa1b23c4d;
const MODIFIED = 0xa1b2cd34;

interface FileOpts { le?: boolean; magic?: number; linktype?: number; snaplen?: number; major?: number }
interface Rec { sec: number; frac: number; data: Buffer; caplen?: number; origLen?: number }

function u16(v: number, le: boolean): Buffer {
  const b = Buffer.alloc(2);
  if (le) b.writeUInt16LE(v); else b.writeUInt16BE(v);
  return b;
}
function u32(v: number, le: boolean): Buffer {
  const b = Buffer.alloc(4);
  if (le) b.writeUInt32LE(v >>> 0); else b.writeUInt32BE(v >>> 0);
  return b;
}
function pcap(opts: FileOpts, recs: Rec[]): Buffer {
  const le = opts.le ?? true;
  const magic = opts.magic ?? MICROS;
  const parts = [u32(magic, le), u16(opts.major ?? 2, le), u16(4, le), u32(0, le), u32(0, le),
    u32(opts.snaplen ?? 65535, le), u32(opts.linktype ?? LINKTYPE.ETHERNET, le)];
  for (const r of recs) {
    parts.push(u32(r.sec, le), u32(r.frac, le), u32(r.caplen ?? r.data.length, le), u32(r.origLen ?? r.data.length, le));
    if (magic === MODIFIED) parts.push(u32(7, le), u16(0x0800, le), Buffer.from([0, 0]));
    parts.push(r.data);
  }
  return Buffer.concat(parts);
}
const payload = (n: number, seed: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff));

// --- reading helper ---------------------------------------------------------------------------
const reader = packetReader('sidetap-pcap-');
afterAll(() => reader.cleanup());
const readAll = reader.readAll;

describe('classic pcap reader', () => {
  const recs: Rec[] = [
    { sec: 1_700_000_000, frac: 123_456, data: payload(60, 1), origLen: 1514 },
    { sec: 1_700_000_001, frac: 999_999, data: payload(42, 2) },
  ];

  it.each([true, false])('reads microsecond files (little endian: %s)', async (le) => {
    const { got, error } = await readAll(pcap({ le }, recs));
    expect(error).toBeNull();
    expect(got).toEqual([
      { tsUs: 1_700_000_000_123_456, linktype: 1, data: payload(60, 1).toString('hex'), origLen: 1514, iface: 0, fileOffset: 24 },
      { tsUs: 1_700_000_001_999_999, linktype: 1, data: payload(42, 2).toString('hex'), origLen: 42, iface: 0, fileOffset: 24 + 16 + 60 },
    ]);
  });

  it.each([true, false])('reads nanosecond files keeping the sub-microsecond fraction (little endian: %s)', async (le) => {
    const { got } = await readAll(pcap({ le, magic: NANOS }, [{ sec: 1_700_000_000, frac: 123_456_789, data: payload(20, 3) }]));
    expect(got[0]?.tsUs).toBeCloseTo(1_700_000_000_123_456.789, 0);
    expect(got[0]!.tsUs - 1_700_000_000_123_456).toBeGreaterThan(0.5);
  });

  it('reads modified (Kuznetzov) pcap records with 24-byte headers', async () => {
    const { got, error } = await readAll(pcap({ magic: MODIFIED }, recs));
    expect(error).toBeNull();
    expect(got.map((g) => g.data)).toEqual([payload(60, 1).toString('hex'), payload(42, 2).toString('hex')]);
    expect(got[1]?.fileOffset).toBe(24 + 24 + 60);
  });

  it.each([
    [0x1000_0001, LINKTYPE.ETHERNET],
    [12, LINKTYPE.RAW],
    [14, LINKTYPE.RAW],
    [LINKTYPE.LINUX_SLL2, LINKTYPE.LINUX_SLL2],
  ])('normalises header link type %i to %i', async (field, linktype) => {
    const { got } = await readAll(pcap({ linktype: field }, recs.slice(0, 1)));
    expect(got[0]?.linktype).toBe(linktype);
  });

  it('hands out records split across every chunk boundary', async () => {
    const many: Rec[] = Array.from({ length: 9 }, (_, i) => ({ sec: i, frac: i, data: payload(70 + i * 37, i) }));
    const whole = await readAll(pcap({}, many));
    for (const chunk of [64, 65, 67, 71, 97, 130, 200]) {
      const split = await readAll(pcap({}, many), chunk);
      expect(split.error).toBeNull();
      expect(split.got).toEqual(whole.got);
    }
    expect(whole.got).toHaveLength(9);
  });

  it('accepts a file holding only its header', async () => {
    const { got, error } = await readAll(pcap({}, []));
    expect(error).toBeNull();
    expect(got).toEqual([]);
  });

  it.each([
    ['inside the file header', 10, 0, 'is truncated inside the pcap file header'],
    ['inside a record header', 24 + 16 + 60 + 5, 24 + 16 + 60, 'is truncated inside a packet record header'],
    ['inside a record body', 24 + 16 + 60 + 16 + 10, 24 + 16 + 60, 'is truncated inside a packet record'],
  ])('reports a file cut %s at the record start, after earlier packets', async (_what, cut, offset, reason) => {
    const bytes = pcap({}, recs).subarray(0, cut);
    for (const chunk of [64, 1 << 20]) {
      const { got, error } = await readAll(bytes, chunk);
      expect(error).toBeInstanceOf(CaptureFileError);
      expect(error).toMatchObject({ offset, reason });
      expect(got).toHaveLength(offset > 24 ? 1 : 0);
    }
  });

  it('declares a record larger than maxPacketBytes corrupt after handing out the ones before it', async () => {
    const bytes = pcap({ snaplen: 0 }, [recs[0]!, { sec: 1, frac: 0, data: payload(300, 9) }]);
    const { got, error } = await readAll(bytes, 1 << 20, 200);
    expect(got).toHaveLength(1);
    expect(error).toMatchObject({ offset: 24 + 16 + 60, reason: 'has a corrupt packet record (captured length 300 exceeds the limit of 200)' });
  });

  it('declares a record far beyond the snaplen corrupt without waiting for its bytes', async () => {
    const bytes = Buffer.concat([pcap({ snaplen: 1500 }, recs.slice(0, 1)), u32(0, true), u32(0, true), u32(0x00ff_0000, true), u32(60, true)]);
    const { got, error } = await readAll(bytes);
    expect(got).toHaveLength(1);
    expect(error).toMatchObject({ offset: 24 + 16 + 60, reason: `has a corrupt packet record (captured length ${0x00ff_0000} exceeds the limit of 262144)` });
    const { error: snapError } = await readAll(Buffer.concat([pcap({ snaplen: 1500 }, []), u32(0, true), u32(0, true), u32(100_000, true), u32(60, true)]));
    expect(snapError).toMatchObject({ offset: 24, reason: 'has a corrupt packet record (captured length 100000 exceeds snaplen 1500)' });
  });

  it('rejects an unsupported major version', async () => {
    const { error } = await readAll(pcap({ major: 1 }, recs));
    expect(error).toMatchObject({ offset: 0, reason: 'has an unsupported pcap version 1.4' });
  });
});
