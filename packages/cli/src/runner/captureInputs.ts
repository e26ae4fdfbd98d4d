// The files a command names, read in the order named as one capture: packet captures (pcap,
// pcapng, either gzipped, standard input) through capture's packet path, HAR files through its
// HAR reader. Packet captures named one after another are one capture, so a connection continues
// from one into the next as rotated pcaps do; a HAR is read whole at its place, which ends the
// connections still open in the packet captures named before it. Either way files should be
// named in time order: nothing is reordered across files.
import { Counters } from '@sidetap/core';
import { CaptureFileError, captureFiles, isHarFile, mergeTlsServerNames, readHarFile, STDIN_FILE } from '@sidetap/capture';
import type { CaptureFilesOptions, CaptureSummary } from '@sidetap/capture';

export interface CaptureInputsOptions extends CaptureFilesOptions {
  /** Told one sentence per HAR entry that could not become an exchange (at most RECORD_FAULTS_SHOWN per file, then a count). */
  onRecordFault?: (message: string) => void;
}

type InputGroup = { kind: 'packets'; files: string[]; first: number } | { kind: 'har'; file: string; index: number };

/** Sentences per HAR file about entries it could not read; the rest are counted (capture_mirror_records_rejected_total). */
export const RECORD_FAULTS_SHOWN = 10;
/** What the packet reader says of a file in no format it knows; a HAR is the other format a file can be. */
const NOT_PACKETS = 'is not a pcap or pcapng file';

/** Whether any of `files` is a HAR (read by the HAR reader, in one thread). */
export async function anyHarInput(files: readonly string[]): Promise<boolean> {
  for (const file of files) if (file !== STDIN_FILE && (await isHarFile(file))) return true;
  return false;
}

/** captureFiles over `files`, with HAR files among them read as HAR. The summary covers them all. */
export async function captureInputs(files: readonly string[], options: CaptureInputsOptions): Promise<CaptureSummary> {
  const groups = await groupInputs(files);
  const counters = options.counters ?? new Counters();
  const total: CaptureSummary = { files: files.length, packets: 0, fileBytes: 0, exchanges: 0, openFlowsAtEnd: 0, counters: {}, tlsServerNames: [], fault: undefined };
  const tlsLists: Array<Array<[string, number]>> = [];
  for (const group of groups) {
    if (group.kind === 'packets') {
      const before = total.exchanges;
      const s = await captureFiles(group.files, {
        ...options,
        counters,
        onProgress: (p) => options.onProgress?.({ ...p, fileIndex: group.first + p.fileIndex, files: files.length, exchanges: before + p.exchanges }),
      });
      total.packets += s.packets;
      total.fileBytes += s.fileBytes;
      total.exchanges += s.exchanges;
      total.openFlowsAtEnd += s.openFlowsAtEnd;
      tlsLists.push(s.tlsServerNames);
      if (s.fault !== undefined) {
        total.fault = s.fault.offset === 0 && s.fault.reason.startsWith(NOT_PACKETS) && s.fault.file !== STDIN_FILE ? notACapture(s.fault) : s.fault;
        break;
      }
    } else {
      try {
        const s = await readHarFile(group.file, {
          config: options.config,
          redactor: options.redactor,
          actor: options.actor,
          counters,
          onExchange: options.onExchange,
          drain: options.drain,
        });
        total.fileBytes += s.fileBytes;
        total.exchanges += s.exchanges;
        reportRecordFaults(group.file, s.faults, options.onRecordFault);
        options.onProgress?.({ file: group.file, fileIndex: group.index, files: files.length, bytesRead: s.fileBytes, bytesTotal: s.fileBytes, exchanges: total.exchanges });
      } catch (err) {
        if (!(err instanceof CaptureFileError)) throw err;
        total.fault = err;
        break;
      }
    }
  }
  total.counters = counters.snapshot();
  total.tlsServerNames = mergeTlsServerNames(tlsLists);
  return total;
}

/** Consecutive packet captures stay together (one capture); each HAR is a group of its own. */
async function groupInputs(files: readonly string[]): Promise<InputGroup[]> {
  const groups: InputGroup[] = [];
  for (const [index, file] of files.entries()) {
    const last = groups[groups.length - 1];
    if (file !== STDIN_FILE && (await isHarFile(file))) groups.push({ kind: 'har', file, index });
    else if (last?.kind === 'packets') last.files.push(file);
    else groups.push({ kind: 'packets', files: [file], first: index });
  }
  return groups;
}

function notACapture(fault: CaptureFileError): CaptureFileError {
  return new CaptureFileError(fault.file, 0, `is not a pcap, pcapng or HAR file${fault.reason.slice(NOT_PACKETS.length)}`);
}

function reportRecordFaults(file: string, faults: readonly { message: string }[], tell: ((message: string) => void) | undefined): void {
  if (tell === undefined) return;
  for (const f of faults.slice(0, RECORD_FAULTS_SHOWN)) tell(`${file}: ${f.message.replace(/\.$/, '')}; skipped.`);
  if (faults.length > RECORD_FAULTS_SHOWN) tell(`${file}: ${faults.length - RECORD_FAULTS_SHOWN} more entries could not be read; skipped (capture_mirror_records_rejected_total).`);
}
