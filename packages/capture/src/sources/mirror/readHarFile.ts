// A HAR file read as a capture (`sidetap replay session.har`): each entry becomes an exchange
// (sidetap.capture.source mirror:har, sidetap.capture.file the file), built as the listener's
// /v1/har builds them. A file that is not a HAR ends with a CaptureFileError naming it and the
// byte offset; a bad entry is a fault of its own and the other entries are still emitted.
import { readFile } from 'node:fs/promises';
import type { HttpExchange } from '@sidetap/core';
import { CaptureFileError } from '../captureFileError';
import { harEntries, parseHarEntries } from './harLog';
import { jsonErrorOffset } from './jsonErrorOffset';
import { jsonReason } from './jsonValues';
import { MirrorExchanges } from './mirrorExchanges';
import type { MirrorExchangeOptions } from './mirrorExchanges';
import { PayloadError } from './recordFault';
import type { RecordFault } from './recordFault';

export interface HarFileOptions extends MirrorExchangeOptions {
  onExchange: (exchange: HttpExchange) => void;
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

/** Whether `file` is named as a HAR (the command line sends such files here instead of the pcap reader). */
export const isHarFileName = (file: string): boolean => file.toLowerCase().endsWith('.har');

export async function readHarFile(file: string, options: HarFileOptions): Promise<HarFileSummary> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new CaptureFileError(file, 0, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const text = bytes.toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
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
  const exchanges = new MirrorExchanges(options);
  const memos = exchanges.memos();
  let emitted = 0;
  for (const part of batch.parts) {
    const exchange = exchanges.build('har', part, memos);
    exchange.sidetap.capture.file = file;
    options.onExchange(exchange);
    emitted++;
  }
  exchanges.counters.inc('capture_mirror_records_accepted_total{format="har"}', emitted);
  if (batch.faults.length > 0) exchanges.counters.inc('capture_mirror_records_rejected_total{format="har"}', batch.faults.length);
  return { file, fileBytes: bytes.length, entries: entries.length, exchanges: emitted, faults: batch.faults, counters: exchanges.counters.snapshot() };
}
