import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CaptureFileError } from './captureFileError';
import { readCaptureFile, readCaptureFileInChunks } from './readCaptureFile';
import type { ReadCaptureOptions } from './readCaptureFile';

// --- tiny byte builders: little-endian pcap and pcapng with one Ethernet interface -----------------
const le32 = (...words: number[]): Buffer => Buffer.concat(words.map((w) => { const b = Buffer.alloc(4); b.writeUInt32LE(w >>> 0); return b; }));
const payload = (n: number, seed: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 5 + seed) & 0xff));
function pcap(packets: Buffer[]): Buffer {
  const header = Buffer.concat([le32(0xa1b2c3d4), Buffer.from([2, 0, 4, 0]), le32(0, 0, 65535, 1)]);
  return Buffer.concat([header, ...packets.flatMap((p, i) => [le32(1000 + i, 0, p.length, p.length), p])]);
}
function pcapng(packets: Buffer[]): Buffer {
  const shb = le32(0x0a0d0d0a, 28, 0x1a2b3c4d, 1, 0xffffffff, 0xffffffff, 28);
  const idb = le32(1, 20, 1, 65535, 20);
  const epbs = packets.map((p, i) => {
    const padded = Buffer.concat([p, Buffer.alloc((4 - (p.length % 4)) % 4)]);
    return Buffer.concat([le32(6, 32 + padded.length, 0, 0, (1000 + i) * 1e6, p.length, p.length), padded, le32(32 + padded.length)]);
  });
  return Buffer.concat([shb, idb, ...epbs]);
}
const packets = Array.from({ length: 40 }, (_, i) => payload(60 + ((i * 53) % 400), i));

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'sidetap-read-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function write(bytes: Buffer, name = `f${Math.random().toString(36).slice(2)}`): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}
async function readAll(file: string, chunk = 1 << 20, options: ReadCaptureOptions = {}) {
  const got: string[] = [];
  let error: unknown = null;
  let summary = null;
  try {
    summary = await readCaptureFileInChunks(file, (p) => got.push(p.buf.toString('hex', p.offset, p.offset + p.caplen)), options, chunk);
  } catch (err) {
    error = err;
  }
  return { got, error, summary };
}
const expected = packets.map((p) => p.toString('hex'));

describe('readCaptureFile', () => {
  it.each([['pcap', pcap], ['pcapng', pcapng]] as const)('reads %s plain and gzip-compressed, detected by magic not name', async (format, build) => {
    const bytes = build(packets);
    for (const [file, compressed] of [[write(bytes, `${format}.gz`), false], [write(gzipSync(bytes), `${format}.cap`), true]] as const) {
      for (const chunk of [64, 1000, 1 << 20]) {
        const { got, error, summary } = await readAll(file, chunk);
        expect(error).toBeNull();
        expect(got).toEqual(expected);
        expect(summary).toEqual({ format, compressed, packets: 40, fileBytes: compressed ? gzipSync(bytes).length : bytes.length });
      }
    }
  });

  it('reads concatenated gzip members as one stream', async () => {
    const bytes = pcap(packets);
    const { got, error } = await readAll(write(Buffer.concat([gzipSync(bytes.subarray(0, 500)), gzipSync(bytes.subarray(500))])), 64);
    expect(error).toBeNull();
    expect(got).toEqual(expected);
  });

  it('hands out one reused view, valid only during the callback', async () => {
    const views = new Set<object>();
    await readCaptureFile(write(pcap(packets.slice(0, 3))), (p) => views.add(p));
    expect(views.size).toBe(1);
  });

  it('reports progress in file bytes and awaits afterChunk before reading on', async () => {
    const bytes = pcap(packets);
    for (const file of [write(bytes), write(gzipSync(bytes))]) {
      const progress: Array<[number, number]> = [];
      const events: string[] = [];
      let release = 0;
      const options: ReadCaptureOptions = {
        onProgress: (read, total) => progress.push([read, total]),
        afterChunk: async () => {
          events.push(`after:${release}`);
          await new Promise((resolve) => setTimeout(resolve, 1));
          release++;
        },
      };
      await readCaptureFileInChunks(file, () => events.push(`packet:${release}`), options, 4096);
      const size = progress[0]![1];
      expect(progress.length).toBeGreaterThan(1);
      expect(progress.at(-1)).toEqual([size, size]);
      expect(progress.every(([read], i) => i === 0 || read >= progress[i - 1]![0])).toBe(true);
      // Packets after the n-th afterChunk call only arrive once that call has resolved.
      let afterCalls = 0;
      for (const event of events) {
        if (event.startsWith('after')) afterCalls++;
        else expect(Number(event.split(':')[1])).toBe(afterCalls);
      }
    }
  });

  it('delivers everything before a gzip stream breaks off, then names the decompressed offset', async () => {
    const bytes = pcap(packets);
    const gz = gzipSync(bytes);
    const { got, error } = await readAll(write(gz.subarray(0, gz.length - 12)), 512);
    expect(error).toBeInstanceOf(CaptureFileError);
    expect((error as CaptureFileError).reason).toBe('has corrupt gzip data (unexpected end of file)');
    expect((error as CaptureFileError).offset).toBeGreaterThan(0);
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(expected.slice(0, got.length));
  });

  it('reports corrupt gzip data', async () => {
    const gz = gzipSync(pcap(packets));
    const broken = Buffer.concat([gz.subarray(0, 10), Buffer.alloc(30, 0xff), gz.subarray(40)]);
    const { error } = await readAll(write(broken));
    expect(error).toMatchObject({ offset: 0 });
    expect((error as CaptureFileError).reason).toMatch(/^has corrupt gzip data \(.+\)$/);
  });

  it('reports a truncated record inside a gzip stream at its decompressed offset', async () => {
    const bytes = pcap(packets.slice(0, 2));
    const { got, error } = await readAll(write(gzipSync(bytes.subarray(0, bytes.length - 3))));
    expect(got).toHaveLength(1);
    expect(error).toMatchObject({ offset: 24 + 16 + packets[0]!.length, reason: 'is truncated inside a packet record' });
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.pcap'), 'cannot be opened: ENOENT'],
    ['a directory', () => { const d = join(dir, 'sub'); mkdirSync(d, { recursive: true }); return d; }, 'cannot be read: EISDIR'],
    ['an empty file', () => write(Buffer.alloc(0)), 'is empty'],
    ['an empty gzip stream', () => write(gzipSync(Buffer.alloc(0))), 'is empty'],
    ['a text file', () => write(Buffer.from('GET / HTTP/1.1\r\n')), 'is not a pcap or pcapng file (magic 0x47455420)'],
    ['a gzip-compressed text file', () => write(gzipSync('hello world')), 'is not a pcap or pcapng file (magic 0x68656c6c)'],
    ['a three-byte file', () => write(Buffer.from([0xd4, 0xc3, 0xb2])), 'is not a pcap or pcapng file (only 3 bytes)'],
  ])('rejects %s at offset 0', async (_what, makeFile, reason) => {
    const file = makeFile();
    const { got, error } = await readAll(file);
    expect(error).toBeInstanceOf(CaptureFileError);
    expect(error).toMatchObject({ file, offset: 0, reason });
    expect((error as Error).message).toBe(`${file}: ${reason} at byte offset 0`);
    expect(got).toEqual([]);
  });

  it('rejects an unreadable file', async () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const file = write(pcap(packets));
    chmodSync(file, 0o000);
    expect((await readAll(file)).error).toMatchObject({ reason: 'cannot be opened: EACCES' });
  });

  it("passes the packet handler's own exception through unchanged", async () => {
    const boom = new Error('consumer bug');
    for (const file of [write(pcap(packets)), write(gzipSync(pcapng(packets)))]) {
      await expect(readCaptureFile(file, () => { throw boom; })).rejects.toBe(boom);
    }
  });

  it('rejects a bad maxPacketBytes at start-up', async () => {
    await expect(readCaptureFile(write(pcap(packets)), () => undefined, { maxPacketBytes: 0 })).rejects.toThrow(RangeError);
  });
});
