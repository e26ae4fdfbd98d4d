// Reads a capture from a stream (standard input: `tcpdump -w - | sidetap capture -`), gzipped or
// not, through the same ChunkPump as files. Its size is unknown, so progress reports 0 as total.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { CaptureFileError } from './captureFileError';
import { ChunkPump } from './chunkPump';
import type { PacketHandler } from './packetView';
import { pumpChunks } from './pumpChunks';
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_PACKET_BYTES } from './readCaptureFile';
import type { ReadCaptureOptions, ReadCaptureSummary } from './readCaptureFile';

/** Hands every packet of the pcap or pcapng stream `input` (optionally gzipped) to `onPacket`; `name` names it in errors. */
export async function readCaptureStream(
  name: string,
  input: Readable,
  onPacket: PacketHandler,
  options: ReadCaptureOptions = {},
): Promise<ReadCaptureSummary> {
  const pump = new ChunkPump(DEFAULT_CHUNK_BYTES, onPacket, options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES);
  const source = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let consumed = 0;
  let first: IteratorResult<Buffer>;
  try {
    first = await source.next();
  } catch (err) {
    throw new CaptureFileError(name, 0, `cannot be read: ${(err as Error).message}`);
  }
  if (first.done === true || first.value.length === 0) throw new CaptureFileError(name, 0, 'is empty');
  const head = first.value;
  const counted = async function* (): AsyncGenerator<Buffer> {
    consumed += head.length;
    yield head;
    while (true) {
      const next = await source.next();
      if (next.done === true) return;
      consumed += next.value.length;
      yield next.value;
    }
  };
  const compressed = head[0] === 0x1f && head[1] === 0x8b;
  const stream = { file: name, fileBytes: 0, pump, options };
  if (compressed) {
    const gunzip = createGunzip({ chunkSize: DEFAULT_CHUNK_BYTES });
    // Errors surface through the gunzip side read below; the pipeline's own rejection is a copy.
    const feed = pipeline(Readable.from(counted()), gunzip).catch(() => undefined);
    try {
      await pumpChunks(stream, gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>, () => consumed);
    } finally {
      gunzip.destroy();
      await feed;
    }
  } else {
    await pumpChunks(stream, counted(), () => consumed);
  }
  const fault = pump.finish();
  if (fault !== null) throw new CaptureFileError(name, fault.offset, fault.reason);
  const parser = pump.parser;
  if (parser === null) throw new CaptureFileError(name, 0, 'is not a pcap or pcapng file');
  return { format: parser.format, compressed, packets: parser.packets, fileBytes: consumed };
}
