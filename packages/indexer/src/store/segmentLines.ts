// Cuts a segment into its lines without holding it whole: each line with its byte offset, and the
// bytes after the last newline reported apart, as a torn tail (a write cut short by a crash).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK = 1 << 20;

export interface StoreReadProblem {
  file: string;
  /** Byte offset of the line in the file. */
  offset: number;
  /** torn_tail: the last line has no newline (a write cut short); not_json: a whole line that is not a JSON object. */
  reason: 'torn_tail' | 'not_json';
}

export interface SegmentLine {
  offset: number;
  /** The line without its newline; valid until the next line is read. */
  bytes: Buffer;
}

/**
 * The whole lines of `file` from byte `from` up to its size when opened (a writer appending
 * meanwhile is not chased), calling `onTornTail` with the offset of any bytes after the last newline.
 */
export function* segmentLines(file: string, from = 0, onTornTail?: (offset: number) => void): Generator<SegmentLine> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    // Removed by retention between listing and reading: it holds nothing any more.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const size = fstatSync(fd).size;
    let buf = Buffer.allocUnsafe(CHUNK);
    let held = 0; // bytes at the start of buf not yet cut into lines
    let heldOffset = from; // file offset of buf[0]
    let pos = from;
    while (pos < size) {
      if (held === buf.length) {
        // One line longer than the buffer: grow it rather than cut the line.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, held);
        buf = bigger;
      }
      const n = readSync(fd, buf, held, Math.min(buf.length - held, size - pos), pos);
      if (n === 0) break;
      pos += n;
      const end = held + n;
      let start = 0;
      let nl = buf.indexOf(10, held);
      while (nl !== -1 && nl < end) {
        if (nl > start) yield { offset: heldOffset + start, bytes: buf.subarray(start, nl) };
        start = nl + 1;
        nl = buf.indexOf(10, start);
      }
      held = end - start;
      if (start > 0 && held > 0) buf.copy(buf, 0, start, end);
      heldOffset += start;
    }
    if (held > 0) onTornTail?.(heldOffset);
  } finally {
    closeSync(fd);
  }
}

/** Length of the part of `file` made of whole lines (up to and including its last newline), and its size. */
export function wholeLinesLength(file: string): { whole: number; size: number } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - buf.length);
      const n = readSync(fd, buf, 0, end - start, start);
      const nl = buf.lastIndexOf(10, n - 1);
      if (nl !== -1) return { whole: start + nl + 1, size };
      end = start;
    }
    return { whole: 0, size };
  } finally {
    closeSync(fd);
  }
}
