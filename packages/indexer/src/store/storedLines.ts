// Reads stored lines by the spans index rows give: rows that sit back to back in a segment are
// read together, so listing a whole segment is a handful of reads, not one per record.
import { closeSync, openSync, readSync } from 'node:fs';
import { COL } from './findingRow';
import type { IndexRow } from './segmentIndex';

const MAX_READ = 8 << 20;
const GATHER = 1 << 20;

/** Runs of rows that sit back to back in the segment, each at most MAX_READ bytes: [first, end) row indexes and byte span. */
function* runs(rows: readonly IndexRow[]): Generator<{ from: number; to: number; start: number; end: number }> {
  let i = 0;
  while (i < rows.length) {
    const start = rows[i]![COL.offset] as number;
    let end = start + (rows[i]![COL.length] as number) + 1;
    let j = i + 1;
    while (j < rows.length && rows[j]![COL.offset] === end && end - start + (rows[j]![COL.length] as number) + 1 <= MAX_READ) {
      end += (rows[j]![COL.length] as number) + 1;
      j++;
    }
    yield { from: i, to: j, start, end };
    i = j;
  }
}

/** Reads [start, end) of an open file; shorter if the file is. */
function readSpan(fd: number, start: number, end: number): Buffer {
  const buf = Buffer.allocUnsafe(end - start);
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, start + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

function openIfThere(file: string): number | undefined {
  try {
    return openSync(file, 'r');
  } catch {
    return undefined; // removed by retention meanwhile: the rows are all that is left
  }
}

/** The rows' lines, newlines included, gathered into buffers. */
export function* readStoredLines(file: string, rows: readonly IndexRow[]): Generator<Buffer> {
  const fd = openIfThere(file);
  if (fd === undefined) return;
  try {
    // Small runs (a filtered query) are gathered into buffers of about GATHER bytes.
    let gathered: Buffer[] = [];
    let size = 0;
    for (const run of runs(rows)) {
      const span = readSpan(fd, run.start, run.end);
      if (span.length < run.end - run.start) break;
      if (span.length >= GATHER) {
        if (size > 0) yield Buffer.concat(gathered, size);
        gathered = [];
        size = 0;
        yield span;
        continue;
      }
      gathered.push(span);
      size += span.length;
      if (size >= GATHER) {
        yield Buffer.concat(gathered, size);
        gathered = [];
        size = 0;
      }
    }
    if (size > 0) yield Buffer.concat(gathered, size);
  } finally {
    closeSync(fd);
  }
}

/** Gives each match its stored line (no newline) as `json`. */
export function readStoredRecords(file: string, picked: { offset: number; length: number; json?: Buffer }[]): void {
  const fd = openIfThere(file);
  if (fd === undefined) return;
  try {
    const rows = picked.map((m) => [m.offset, m.length] as IndexRow);
    for (const run of runs(rows)) {
      const span = readSpan(fd, run.start, run.end);
      for (let k = run.from; k < run.to; k++) {
        const m = picked[k]!;
        const at = m.offset - run.start;
        if (at + m.length <= span.length) m.json = span.subarray(at, at + m.length);
      }
    }
  } finally {
    closeSync(fd);
  }
}
