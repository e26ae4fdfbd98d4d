// Wires the capture stage: packets → decoder → TCP reassembly → HTTP parser → exchanges.
// Several files given together are one capture in order (rotated pcaps continue each other).
import { Counters } from '@sidetap/core';
import type { ActorKeyOptions, HttpExchange, Redactor } from '@sidetap/core';
import type { CaptureConfig } from './captureConfig';
import { PacketCapture } from './packetCapture';
import { SegmentCapture } from './segmentCapture';
import type { SegmentSink } from './segmentCapture';
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

export const TLS_SERVER_NAMES_SHOWN = 20;

/**
 * Where the reading loop sends decoded segments: one SegmentCapture in this thread (captureFiles),
 * or worker threads that each reassemble a share of the connections (parallel/workerShards.ts).
 */
export interface CaptureTarget extends SegmentSink {
  /** The capture file the next segments come from. */
  setFile(file: string | undefined): void;
  /** Exchanges emitted (or written) so far. */
  readonly exchanges: number;
  /** Awaited after each chunk of input: a slow consumer holds the read back here. */
  afterChunk(): Promise<void> | void;
  /** After closeAll: what the summary reports of the reassembly side, once all of it is out. */
  finish(): Promise<TargetSummary> | TargetSummary;
  /** The read failed unexpectedly (after closeAll): give up what is still held; the error is rethrown after this. */
  abort(): Promise<void> | void;
}

export interface TargetSummary {
  exchanges: number;
  /** Connections still open when closeAll ran. */
  openFlowsAtEnd: number;
  /** Counters kept apart from the reading thread's (the shards'), added to them; empty when they share them. */
  counters: Record<string, number>;
  tlsServerNames: Array<[string, number]>;
}

/**
 * Reads capture files as one capture and emits exchanges. A broken file ends the capture at the
 * fault, reported in the summary, after every exchange before it has been emitted.
 */
export async function captureFiles(files: readonly string[], options: CaptureFilesOptions): Promise<CaptureSummary> {
  const counters = options.counters ?? new Counters();
  const segments = new SegmentCapture({
    config: options.config,
    counters,
    redactor: options.redactor,
    ...(options.actor === undefined ? {} : { actor: options.actor }),
    source: 'pcap',
    onExchange: options.onExchange,
  });
  let openFlowsAtEnd = 0;
  const target: CaptureTarget = {
    onSegment: (segment) => segments.onSegment(segment),
    advanceClock: (tsUs) => segments.advanceClock(tsUs),
    closeAll: (reason, tsUs) => void (openFlowsAtEnd = segments.closeAndReport(reason, tsUs).openFlows),
    get openFlows() {
      return segments.openFlows;
    },
    setFile: (file) => segments.setFile(file),
    get exchanges() {
      return segments.exchanges;
    },
    afterChunk: () => options.drain?.(),
    finish: () => ({ exchanges: segments.exchanges, openFlowsAtEnd, counters: {}, tlsServerNames: segments.tlsServerNames(TLS_SERVER_NAMES_SHOWN) }),
    abort: () => undefined,
  };
  const { stdin, onProgress } = options;
  return readCapture(files, target, { config: options.config, counters, ...(stdin ? { stdin } : {}), ...(onProgress ? { onProgress } : {}) });
}

export interface ReadLoopOptions {
  config: CaptureConfig;
  counters: Counters;
  stdin?: NodeJS.ReadableStream;
  onProgress?: (progress: CaptureProgress) => void;
}

/** The reading loop of captureFiles: files → packets → segments for `target`, and the summary. */
export async function readCapture(files: readonly string[], target: CaptureTarget, options: ReadLoopOptions): Promise<CaptureSummary> {
  const counters = options.counters;
  let currentFile: string | undefined;
  const packets = new PacketCapture(options.config, counters, target);
  const onPacket = (packet: PacketView): void => packets.feed(packet);
  const afterChunk = (): Promise<void> | void => target.afterChunk();
  let fileBytes = 0;
  let currentFileBytes = 0;
  let fault: CaptureFileError | undefined;
  try {
    for (const [index, file] of files.entries()) {
      currentFile = file;
      target.setFile(file);
      const readOptions = {
        afterChunk,
        onProgress: (bytesRead: number, bytesTotal: number) => {
          currentFileBytes = bytesRead;
          options.onProgress?.({ file, fileIndex: index, files: files.length, bytesRead, bytesTotal, exchanges: target.exchanges });
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
    if (!(err instanceof CaptureFileError)) {
      try {
        packets.stop('capture_ended');
      } finally {
        await target.abort();
      }
      throw err;
    }
    fault = err;
    fileBytes += currentFileBytes;
  }
  // Whether the capture ended or a file broke, what was already seen is emitted, never dropped.
  target.setFile(currentFile);
  packets.stop('capture_ended');
  const done = await target.finish();
  for (const [name, n] of Object.entries(done.counters)) counters.inc(name, n);
  return {
    files: files.length,
    packets: packets.packets,
    fileBytes,
    exchanges: done.exchanges,
    openFlowsAtEnd: done.openFlowsAtEnd,
    counters: counters.snapshot(),
    tlsServerNames: done.tlsServerNames,
    fault,
  };
}
