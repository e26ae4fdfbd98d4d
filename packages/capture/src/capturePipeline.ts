// Wires the capture stage: packets → decoder → TCP reassembly → HTTP parser → exchanges.
// Several files given together are one capture in order (rotated pcaps continue each other).
import { Counters } from '@sidetap/core';
import type { ActorKeyOptions, HttpExchange, Redactor } from '@sidetap/core';
import type { CaptureConfig } from './captureConfig';
import { PacketCapture } from './packetCapture';
import type { CaptureShard } from './parallel/shardFilter';
import { SegmentCapture } from './segmentCapture';
import { CaptureFileError, readCaptureFile, readCaptureStream } from './sources';
import type { PacketView } from './sources';
import type { Readable } from 'node:stream';

/** The file name that means standard input (`tcpdump -w - | sidetap capture -`). */
export const STDIN_FILE = '-';
const STDIN_NAME = 'standard input';

export interface CaptureFilesOptions {
  config: CaptureConfig;
  /** Read for the file named `-` (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  redactor: Redactor;
  /**
   * Which credentials name an actor and how bearer JWTs are verified (core's createActorKeyOptions
   * makes them from the `actor` config section); default: core's defaults, hashing with `redactor`.
   * Their API-key headers carry secrets, so `redactor` should hash them too (its extraHeaders), as
   * the command line and the parallel workers arrange.
   */
  actor?: ActorKeyOptions;
  /** Receives every exchange, in the order connections complete them. */
  onExchange: (exchange: HttpExchange) => void;
  /** Awaited between chunks of a file so a slow consumer applies backpressure. */
  drain?: () => Promise<void> | void;
  /** Bytes of the files read so far out of their total, with exchanges emitted so far. */
  onProgress?: (progress: CaptureProgress) => void;
  counters?: Counters;
  /**
   * Reassemble only the connections of this shard (every packet is still decoded, so decode
   * counters cover all of them): the hook flow-sharded parallel capture runs each worker with.
   */
  shard?: CaptureShard;
}

export interface CaptureProgress {
  file: string;
  fileIndex: number;
  files: number;
  bytesRead: number;
  bytesTotal: number;
  exchanges: number;
}

export interface CaptureSummary {
  files: number;
  packets: number;
  fileBytes: number;
  exchanges: number;
  openFlowsAtEnd: number;
  counters: Record<string, number>;
  tlsServerNames: Array<[string, number]>;
  /** Set when a file could not be read to its end; reading stopped there, after emitting everything before it. */
  fault: CaptureFileError | undefined;
}

const TLS_SERVER_NAMES_SHOWN = 20;

/**
 * Reads capture files as one capture and emits exchanges. A broken file ends the capture at the
 * fault, reported in the summary, after every exchange before it has been emitted.
 */
export async function captureFiles(files: readonly string[], options: CaptureFilesOptions): Promise<CaptureSummary> {
  const counters = options.counters ?? new Counters();
  let currentFile: string | undefined;
  const segments = new SegmentCapture({
    config: options.config,
    counters,
    redactor: options.redactor,
    ...(options.actor === undefined ? {} : { actor: options.actor }),
    source: 'pcap',
    onExchange: options.onExchange,
    ...(options.shard === undefined ? {} : { shard: options.shard }),
  });
  const packets = new PacketCapture(options.config, counters, segments);
  const onPacket = (packet: PacketView): void => packets.feed(packet);
  let fileBytes = 0;
  let currentFileBytes = 0;
  let openFlowsAtEnd = 0;
  let fault: CaptureFileError | undefined;
  try {
    for (const [index, file] of files.entries()) {
      currentFile = file;
      segments.setFile(file);
      const readOptions = {
        ...(options.drain ? { afterChunk: options.drain } : {}),
        onProgress: (bytesRead: number, bytesTotal: number) => {
          currentFileBytes = bytesRead;
          options.onProgress?.({ file, fileIndex: index, files: files.length, bytesRead, bytesTotal, exchanges: segments.exchanges });
        },
      };
      const summary =
        file === STDIN_FILE
          ? await readCaptureStream(STDIN_NAME, (options.stdin ?? process.stdin) as Readable, onPacket, readOptions)
          : await readCaptureFile(file, onPacket, readOptions);
      fileBytes += summary.fileBytes;
      currentFileBytes = 0;
    }
  } catch (err) {
    if (!(err instanceof CaptureFileError)) throw err;
    fault = err;
    fileBytes += currentFileBytes;
  } finally {
    // Whether the capture ended or a file broke, what was already seen is emitted, never dropped.
    segments.setFile(currentFile);
    openFlowsAtEnd = packets.openFlows;
    packets.stop('capture_ended');
  }
  return {
    files: files.length,
    packets: packets.packets,
    fileBytes,
    exchanges: segments.exchanges,
    openFlowsAtEnd,
    counters: counters.snapshot(),
    tlsServerNames: segments.tlsServerNames(TLS_SERVER_NAMES_SHOWN),
    fault,
  };
}
