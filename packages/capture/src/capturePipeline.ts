// Wires the capture stage: packets → decoder → TCP reassembly → HTTP parser → exchanges.
// Several files given together are one capture in order (rotated pcaps continue each other).
import { BoundedTally, Counters } from '@sidetap/core';
import type { ActorKeyOptions, CaptureSource, HttpExchange, Redactor } from '@sidetap/core';
import type { CaptureConfig } from './captureConfig';
import { PacketDecoder } from './decode';
import { createHttpConsumer } from './http';
import type { HttpContext } from './http/httpContext';
import { SampleBudget } from './http/sampleBudget';
import { ShardFilter } from './parallel/shardFilter';
import type { CaptureShard } from './parallel/shardFilter';
import { CaptureFileError, readCaptureFile, readCaptureStream } from './sources';
import type { PacketView } from './sources';
import type { Readable } from 'node:stream';
import { TcpReassembler } from './tcp';

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

const TLS_SNI_NAMES_KEPT = 1000;

/**
 * Reads capture files as one capture and emits exchanges. A broken file ends the capture at the
 * fault, reported in the summary, after every exchange before it has been emitted.
 */
export async function captureFiles(files: readonly string[], options: CaptureFilesOptions): Promise<CaptureSummary> {
  const counters = options.counters ?? new Counters();
  const tlsServerNames = new BoundedTally(TLS_SNI_NAMES_KEPT);
  let exchanges = 0;
  let currentFile: string | undefined;
  const source: CaptureSource = 'pcap';
  const ctx: HttpContext = {
    config: options.config,
    counters,
    redactor: options.redactor,
    actor: options.actor ?? { redactor: options.redactor },
    source,
    file: undefined,
    tlsServerNames,
    sampleBudget: new SampleBudget(options.config.httpSampleTotalBytes),
    emit(exchange) {
      exchanges += 1;
      options.onExchange(exchange);
    },
  };
  const tcp = new TcpReassembler(options.config, counters, (info) => createHttpConsumer(info, ctx));
  const shard = options.shard === undefined ? undefined : new ShardFilter(options.shard, tcp);
  const decoder = new PacketDecoder(
    options.config,
    counters,
    shard === undefined ? (segment) => tcp.onSegment(segment) : (segment) => shard.onSegment(segment),
  );

  let lastTsUs = 0;
  let nextFragmentExpiryUs = 0;
  let packets = 0;
  const onPacket = (packet: PacketView): void => {
    packets += 1;
    if (packet.tsUs > lastTsUs) lastTsUs = packet.tsUs;
    if (lastTsUs >= nextFragmentExpiryUs) {
      decoder.expire(lastTsUs);
      nextFragmentExpiryUs = lastTsUs + 1e6;
    }
    decoder.decode(packet);
  };

  let fileBytes = 0;
  let currentFileBytes = 0;
  let openFlowsAtEnd = 0;
  let fault: CaptureFileError | undefined;
  try {
    for (const [index, file] of files.entries()) {
      currentFile = file;
      ctx.file = file;
      const readOptions = {
        ...(options.drain ? { afterChunk: options.drain } : {}),
        onProgress: (bytesRead: number, bytesTotal: number) => {
          currentFileBytes = bytesRead;
          options.onProgress?.({ file, fileIndex: index, files: files.length, bytesRead, bytesTotal, exchanges });
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
    ctx.file = currentFile;
    openFlowsAtEnd = tcp.openFlows;
    tcp.closeAll('capture_ended', lastTsUs);
  }
  return {
    files: files.length,
    packets,
    fileBytes,
    exchanges,
    openFlowsAtEnd,
    counters: counters.snapshot(),
    tlsServerNames: tlsServerNames.top(20),
    fault,
  };
}
