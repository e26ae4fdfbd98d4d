// Opens a capture file, recognises gzip by its magic, and streams the (decompressed) bytes
// through one ChunkPump, so a file of any size is read in a few MB of memory.
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { CaptureFileError } from './captureFileError';
import { ChunkPump } from './chunkPump';
import type { PacketHandler } from './packetView';
import { afterChunk, errorCode, pumpChunks } from './pumpChunks';
import type { PumpedStream } from './pumpChunks';

export interface ReadCaptureOptions {
  /** Called after each chunk with bytes of the FILE consumed so far and its total size. */
  onProgress?: (fileBytesRead: number, fileBytesTotal: number) => void;
  /** Awaited after each chunk's packets were handed out, so the consumer can apply backpressure. */
  afterChunk?: () => Promise<void> | void;
  /** Largest captured packet accepted before the file is declared corrupt (default 262144). */
  maxPacketBytes?: number;
}

export interface ReadCaptureSummary {
  format: 'pcap' | 'pcapng';
  compressed: boolean;
  packets: number;
  fileBytes: number;
}

export const DEFAULT_CHUNK_BYTES = 1 << 20;
export const DEFAULT_MAX_PACKET_BYTES = 262_144;
/** Enough for any format magic; zlib refuses output chunks below 64 bytes. */
export const MIN_CHUNK_BYTES = 64;

/** Hands every packet of a pcap or pcapng file (optionally gzip-compressed) to `onPacket`, in order. */
export async function readCaptureFile(
  file: string,
  onPacket: PacketHandler,
  options: ReadCaptureOptions = {},
): Promise<ReadCaptureSummary> {
  return readCaptureFileInChunks(file, onPacket, options, DEFAULT_CHUNK_BYTES);
}

/** readCaptureFile with the read size chosen: tests use tiny chunks to split records across reads. */
export async function readCaptureFileInChunks(
  file: string,
  onPacket: PacketHandler,
  options: ReadCaptureOptions,
  chunkBytes: number,
): Promise<ReadCaptureSummary> {
  const maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  if (!Number.isInteger(maxPacketBytes) || maxPacketBytes <= 0) {
    throw new RangeError(`maxPacketBytes must be a positive integer, got ${maxPacketBytes}`);
  }
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw new CaptureFileError(file, 0, `cannot be opened: ${errorCode(err)}`);
  }
  try {
    const fileBytes = (await fh.stat()).size;
    if (fileBytes === 0) throw new CaptureFileError(file, 0, 'is empty');
    const pump = new ChunkPump(Math.max(chunkBytes, MIN_CHUNK_BYTES), onPacket, maxPacketBytes);
    const compressed = await isGzip(file, fh);
    const stream = { file, fileBytes, pump, options };
    await (compressed ? pumpGzip(stream, fh, chunkBytes) : pumpPlain(stream, fh));
    const fault = pump.finish();
    if (fault !== null) throw new CaptureFileError(file, fault.offset, fault.reason);
    const parser = pump.parser;
    // finish() reports a fault whenever no parser was ever chosen.
    if (parser === null) throw new CaptureFileError(file, 0, 'is not a pcap or pcapng file');
    return { format: parser.format, compressed, packets: parser.packets, fileBytes };
  } finally {
    await fh.close();
  }
}

async function isGzip(file: string, fh: FileHandle): Promise<boolean> {
  const magic = Buffer.alloc(2);
  try {
    const { bytesRead } = await fh.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } catch (err) {
    throw new CaptureFileError(file, 0, `cannot be read: ${errorCode(err)}`);
  }
}

/** Uncompressed files are read straight into the pump's buffer: no copy, no stream machinery. */
async function pumpPlain({ file, fileBytes, pump, options }: PumpedStream, fh: FileHandle): Promise<void> {
  while (true) {
    const room = pump.room;
    const position = pump.wantedOffset;
    let bytesRead: number;
    try {
      ({ bytesRead } = await fh.read(room.buf, room.start, room.length, position));
    } catch (err) {
      throw new CaptureFileError(file, position, `cannot be read: ${errorCode(err)}`);
    }
    if (bytesRead === 0) return;
    pump.commit(bytesRead);
    pump.drain();
    await afterChunk(file, pump, options, Math.min(position + bytesRead, fileBytes), fileBytes);
  }
}

async function pumpGzip(stream: PumpedStream, fh: FileHandle, chunkBytes: number): Promise<void> {
  const input = fh.createReadStream({ start: 0, highWaterMark: chunkBytes, autoClose: false });
  const gunzip = createGunzip({ chunkSize: Math.max(chunkBytes, MIN_CHUNK_BYTES) });
  input.on('error', (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  try {
    await pumpChunks(stream, gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>, () => input.bytesRead);
  } finally {
    input.unpipe(gunzip);
    input.destroy();
    gunzip.destroy();
  }
}
