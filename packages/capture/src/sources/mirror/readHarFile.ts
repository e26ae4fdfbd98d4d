// A HAR file read as a capture (`sidetap replay session.har`): each entry becomes an exchange
// (sidetap.capture.source mirror:har, sidetap.capture.file the file), built as the listener's
// /v1/har builds them, in the order the entries started. A file that is not a HAR ends with a
// CaptureFileError naming it and the byte offset; a bad entry is a fault of its own and the
// other entries are still emitted. A gzipped HAR (by its magic) is read decompressed.
import { readFile } from 'node:fs/promises';
import { constants as bufferConstants } from 'node:buffer';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import type { HttpExchange } from '@sidetap/core';
import { CaptureFileError } from '../captureFileError';
import { isGzipHead } from './harInput';
import { harEntries, parseHarEntries } from './harLog';
import { jsonErrorOffset } from './jsonErrorOffset';
import { jsonReason } from './jsonValues';
import { MirrorExchanges } from './mirrorExchanges';
import type { MirrorExchangeOptions } from './mirrorExchanges';
import { PayloadError } from './recordFault';
import type { RecordFault } from './recordFault';

export interface HarFileOptions extends MirrorExchangeOptions {
  onExchange: (exchange: HttpExchange) => void;
  /** Awaited after every DRAIN_EVERY exchanges, so a slow consumer applies backpressure as it does between a pcap's chunks. */
  drain?: (() => Promise<void> | void) | undefined;
}

export interface HarFileSummary {
  file: string;
  fileBytes: number;
  entries: number;
  exchanges: number;
  /** One sentence per entry that could not become an exchange ("entry 3: ..."). */
  faults: RecordFault[];
  counters: Record<string, number>;
}

/** A HAR is parsed whole, as one string: V8's longest string bounds the document. */
export const MAX_HAR_BYTES = bufferConstants.MAX_STRING_LENGTH;
const DRAIN_EVERY = 256;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

export async function readHarFile(file: string, options: HarFileOptions): Promise<HarFileSummary> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    throw new CaptureFileError(file, 0, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const bytes = withoutBom(isGzipHead(raw) ? gunzipHar(file, raw) : raw);
  if (bytes.length > MAX_HAR_BYTES) throw new CaptureFileError(file, MAX_HAR_BYTES, `is a HAR larger than the ${MAX_HAR_BYTES} bytes one JSON document can be read in`);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new CaptureFileError(file, Math.max(0, jsonErrorOffset(bytes)), `not a HAR file: invalid JSON (${jsonReason(err)})`);
  }
  let entries: unknown[];
  try {
    entries = harEntries(doc);
  } catch (err) {
    if (err instanceof PayloadError) throw new CaptureFileError(file, 0, err.message);
    throw err;
  }
  const batch = parseHarEntries(entries, bytes);
  // Event time: browsers write entries as requests start, but a proxy's export need not (a stable sort keeps ties in file order).
  const parts = batch.parts.slice().sort((a, b) => a.request.startUs - b.request.startUs);
  const exchanges = new MirrorExchanges(options);
  const memos = exchanges.memos();
  let emitted = 0;
  for (const part of parts) {
    const exchange = exchanges.build('har', part, memos);
    exchange.sidetap.capture.file = file;
    options.onExchange(exchange);
    emitted++;
    if (options.drain !== undefined && emitted % DRAIN_EVERY === 0) await options.drain();
  }
  if (options.drain !== undefined) await options.drain();
  exchanges.counters.inc('capture_mirror_records_accepted_total{format="har"}', emitted);
  if (batch.faults.length > 0) exchanges.counters.inc('capture_mirror_records_rejected_total{format="har"}', batch.faults.length);
  return { file, fileBytes: raw.length, entries: entries.length, exchanges: emitted, faults: batch.faults, counters: exchanges.counters.snapshot() };
}

/** The decompressed HAR; a corrupt or truncated stream fails at the decompressed offset it reached. */
function gunzipHar(file: string, raw: Buffer): Buffer {
  try {
    return gunzipSync(raw, { maxOutputLength: MAX_HAR_BYTES + 1 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new CaptureFileError(file, MAX_HAR_BYTES, `decompresses to more than the ${MAX_HAR_BYTES} bytes one JSON document can be read in`);
    }
    let reached = 0;
    try {
      reached = gunzipSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: MAX_HAR_BYTES + 1 }).length;
    } catch {
      // Not even the start decompresses: the fault is at offset 0.
    }
    throw new CaptureFileError(file, reached, `is not valid gzip (${(err as Error).message.replace(/\.$/, '')})`);
  }
}

function withoutBom(bytes: Buffer): Buffer {
  return bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2] ? bytes.subarray(3) : bytes;
}
