import { CaptureFileError } from './captureFileError';
import { LINKTYPE } from './linktypes';
import { packetReader } from './testReadAll';

// --- tiny pcapng byte builder -----------------------------------------------------------------
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
const pad4 = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
function block(le: boolean, type: number, body: Buffer, trailer?: number): Buffer {
  const padded = pad4(body);
  const length = 12 + padded.length;
  return Buffer.concat([u32(type, le), u32(length, le), padded, u32(trailer ?? length, le)]);
}
const opt = (le: boolean, code: number, value: Buffer): Buffer => Buffer.concat([u16(code, le), u16(value.length, le), pad4(value)]);
const shb = (le: boolean, major = 1): Buffer =>
  block(le, 0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d, le), u16(major, le), u16(0, le), Buffer.alloc(8, 0xff)]));
function idb(le: boolean, linktype: number, snaplen: number, opts: Buffer[] = []): Buffer {
  return block(le, 1, Buffer.concat([u16(linktype, le), u16(0, le), u32(snaplen, le), ...opts, ...(opts.length ? [u32(0, le)] : [])]));
}
function epb(le: boolean, iface: number, ts: bigint, data: Buffer, origLen = data.length): Buffer {
  const head = [u32(iface, le), u32(Number(ts >> 32n), le), u32(Number(ts & 0xffffffffn), le), u32(data.length, le), u32(origLen, le)];
  return block(le, 6, Buffer.concat([...head, data, opt(le, 1, Buffer.from('comment'))]));
}
function pb(le: boolean, iface: number, ts: bigint, data: Buffer): Buffer {
  const head = [u16(iface, le), u16(0, le), u32(Number(ts >> 32n), le), u32(Number(ts & 0xffffffffn), le), u32(data.length, le), u32(data.length, le)];
  return block(le, 2, Buffer.concat([...head, data]));
}
const spb = (le: boolean, origLen: number, data: Buffer): Buffer => block(le, 3, Buffer.concat([u32(origLen, le), data]));
const payload = (n: number, seed: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 13 + seed) & 0xff));
const hex = (b: Buffer): string => b.toString('hex');

// --- reading helper ---------------------------------------------------------------------------
const reader = packetReader('sidetap-pcapng-');
afterAll(() => reader.cleanup());
const readAll = reader.readAll;

const TS_US = 1_700_000_000_123_456n;

describe('pcapng reader', () => {
  it.each([true, false])('reads enhanced packet blocks (little endian: %s)', async (le) => {
    const head = Buffer.concat([shb(le), idb(le, LINKTYPE.ETHERNET, 65535)]);
    const first = epb(le, 0, TS_US, payload(61, 1), 1514);
    const { got, error } = await readAll(Buffer.concat([head, first, epb(le, 0, TS_US + 1n, payload(8, 2))]));
    expect(error).toBeNull();
    expect(got).toEqual([
      { tsUs: 1_700_000_000_123_456, linktype: 1, data: hex(payload(61, 1)), origLen: 1514, iface: 0, fileOffset: head.length },
      { tsUs: 1_700_000_000_123_457, linktype: 1, data: hex(payload(8, 2)), origLen: 8, iface: 0, fileOffset: head.length + first.length },
    ]);
  });

  it('starts afresh at each section: byte order and interfaces reset', async () => {
    const first = Buffer.concat([shb(true), idb(true, LINKTYPE.ETHERNET, 0), epb(true, 0, TS_US, payload(10, 1))]);
    const second = Buffer.concat([shb(false), idb(false, LINKTYPE.RAW, 0), epb(false, 0, TS_US + 5n, payload(11, 2))]);
    const { got, error } = await readAll(Buffer.concat([first, second]));
    expect(error).toBeNull();
    expect(got.map((g) => [g.linktype, g.tsUs, g.data])).toEqual([
      [LINKTYPE.ETHERNET, 1_700_000_000_123_456, hex(payload(10, 1))],
      [LINKTYPE.RAW, 1_700_000_000_123_461, hex(payload(11, 2))],
    ]);
    const stale = Buffer.concat([shb(true), idb(true, 1, 0), idb(true, 1, 0), shb(false), idb(false, 1, 0), epb(false, 1, TS_US, payload(4, 0))]);
    const { error: staleError } = await readAll(stale);
    expect(staleError).toMatchObject({ reason: 'has a packet for undeclared interface 1' });
  });

  it('applies each interface its own link type, if_tsresol and if_tsoffset', async () => {
    const le = true;
    const nanos = idb(le, LINKTYPE.LINUX_SLL2, 0, [opt(le, 9, Buffer.from([9]))]);
    const binary = idb(le, LINKTYPE.IPV6, 0, [opt(le, 9, Buffer.from([0x80 | 10])), opt(le, 14, Buffer.from('0a00000000000000', 'hex'))]);
    const bytes = Buffer.concat([
      shb(le), idb(le, LINKTYPE.ETHERNET, 0), nanos, binary,
      epb(le, 1, 1_700_000_000_123_456_789n, payload(5, 1)),
      epb(le, 2, 1_700_000_000n * 1024n + 512n, payload(6, 2)),
      epb(le, 0, TS_US, payload(7, 3)),
    ]);
    const { got, error } = await readAll(bytes);
    expect(error).toBeNull();
    expect(got.map((g) => [g.iface, g.linktype])).toEqual([[1, LINKTYPE.LINUX_SLL2], [2, LINKTYPE.IPV6], [0, LINKTYPE.ETHERNET]]);
    // Nanoseconds beyond 2^53 keep their sub-microsecond fraction as far as a double can.
    expect(got[0]!.tsUs).toBeCloseTo(1_700_000_000_123_456.789, 0);
    expect(got[0]!.tsUs).toBeGreaterThan(1_700_000_000_123_456.5);
    expect(got[1]!.tsUs).toBe((1_700_000_000 + 10) * 1e6 + 500_000);
    expect(got[2]!.tsUs).toBe(1_700_000_000_123_456);
  });

  it('reads simple packet blocks with the last timestamp and caplen bounded by snaplen', async () => {
    const le = false;
    const bytes = Buffer.concat([
      shb(le), idb(le, LINKTYPE.ETHERNET, 20),
      spb(le, 5, payload(5, 1)),
      epb(le, 0, TS_US, payload(3, 2)),
      spb(le, 1500, payload(30, 3)),
      spb(le, 9, payload(12, 4)),
    ]);
    const { got, error } = await readAll(bytes);
    expect(error).toBeNull();
    expect(got.map((g) => [g.tsUs, g.data, g.origLen])).toEqual([
      [0, hex(payload(5, 1)), 5],
      [1_700_000_000_123_456, hex(payload(3, 2)), 3],
      [1_700_000_000_123_456, hex(payload(20, 3)), 1500],
      [1_700_000_000_123_456, hex(payload(9, 4)), 9],
    ]);
  });

  it('reads obsolete packet blocks', async () => {
    const { got } = await readAll(Buffer.concat([shb(true), idb(true, 1, 0), idb(true, LINKTYPE.RAW, 0), pb(true, 1, TS_US, payload(9, 1))]));
    expect(got).toEqual([expect.objectContaining({ iface: 1, linktype: LINKTYPE.RAW, tsUs: 1_700_000_000_123_456, data: hex(payload(9, 1)) })]);
  });

  it('skips name resolution, statistics, custom and unknown blocks, even ones larger than a chunk', async () => {
    const le = true;
    const bytes = Buffer.concat([
      shb(le), block(le, 4, Buffer.alloc(20)), idb(le, 1, 0), block(le, 0x0bad, Buffer.alloc(400, 7)),
      epb(le, 0, TS_US, payload(90, 1)), block(le, 5, Buffer.alloc(24)), block(le, 0x1234_5678, Buffer.alloc(1000, 1)),
      epb(le, 0, TS_US, payload(100, 2)),
    ]);
    for (const chunk of [64, 100, 333, 1 << 20]) {
      const { got, error } = await readAll(bytes, chunk);
      expect(error).toBeNull();
      expect(got.map((g) => g.data)).toEqual([hex(payload(90, 1)), hex(payload(100, 2))]);
    }
  });

  it('hands out blocks split across every chunk boundary', async () => {
    const blocks = [shb(true), idb(true, 1, 0), ...Array.from({ length: 8 }, (_, i) => epb(true, 0, BigInt(i), payload(50 + i * 41, i)))];
    const whole = await readAll(Buffer.concat(blocks));
    expect(whole.got).toHaveLength(8);
    for (const chunk of [64, 66, 69, 75, 101, 257]) expect((await readAll(Buffer.concat(blocks), chunk)).got).toEqual(whole.got);
  });

  describe('corrupt and truncated files', () => {
    const head = Buffer.concat([shb(true), idb(true, 1, 0), epb(true, 0, TS_US, payload(10, 1))]);
    const at = head.length;
    const raw = (...words: number[]): Buffer => Buffer.concat(words.map((w) => u32(w, true)));

    it.each([
      ['not a multiple of 4', raw(6, 34, 0, 0, 0, 0, 0, 0, 0, 34), 'has a corrupt block (length 34 is not a multiple of 4)'],
      ['under 12', raw(6, 8, 8), 'has a corrupt block (length 8 is under 12)'],
      ['trailer differs', block(true, 6, Buffer.alloc(24), 99), 'has a corrupt block (trailing length 99 differs from leading length 36)'],
      ['skipped block trailer differs', block(true, 5, Buffer.alloc(8), 40), 'has a corrupt block (trailing length 40 differs from leading length 20)'],
      ['unknown interface', epb(true, 3, 0n, payload(4, 0)), 'has a packet for undeclared interface 3'],
      ['caplen overruns block', raw(6, 40, 0, 0, 0, 100, 100, 0, 0, 40), 'has a corrupt packet block (captured length 100 overruns block length 40)'],
      ['caplen over limit', epb(true, 0, 0n, payload(300, 0)), 'has a corrupt packet block (captured length 300 exceeds the limit of 256)'],
      ['packet block too large to hold', raw(6, 1 << 20, 0), 'has a corrupt block (length 1048576 exceeds the limit of 65820)'],
      ['bad byte-order magic', raw(0x0a0d0d0a, 28, 0x11223344, 0, 0, 0, 28), 'has a section header with a bad byte-order magic 0x11223344'],
      ['unsupported version', shb(true, 2), 'has an unsupported pcapng version 2.0'],
    ])('reports %s at the block start after earlier packets', async (_what, tail, reason) => {
      for (const chunk of [64, 1 << 20]) {
        const { got, error } = await readAll(Buffer.concat([head, tail]), chunk, 256);
        expect(error).toBeInstanceOf(CaptureFileError);
        expect(error).toMatchObject({ offset: at, reason });
        expect(got).toHaveLength(1);
      }
    });

    it('reports a simple packet block before any interface', async () => {
      const { error } = await readAll(Buffer.concat([shb(true), spb(true, 4, payload(4, 0))]));
      expect(error).toMatchObject({ offset: 28, reason: 'has a simple packet block before any interface' });
    });

    it.each([
      ['a block header', 5, 'is truncated inside a block header'],
      ['a packet block', 30, 'is truncated inside a block'],
      ['a skipped block', 20, 'is truncated inside a block'],
    ])('reports a file ending inside %s at the block start', async (what, keep, reason) => {
      const last = what === 'a skipped block' ? block(true, 0x0bad, Buffer.alloc(500)) : epb(true, 0, 0n, payload(40, 0));
      for (const chunk of [64, 1 << 20]) {
        const { got, error } = await readAll(Buffer.concat([head, last.subarray(0, keep)]), chunk);
        expect(error).toMatchObject({ offset: at, reason });
        expect(got).toHaveLength(1);
      }
    });
  });
});
