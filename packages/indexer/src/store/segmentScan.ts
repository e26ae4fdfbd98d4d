// One segment's index rows, whole: the trusted part of its index file, then rows made by parsing
// whatever the index does not cover (a crash between writing records and their index, or the old
// layout's file, which never had one). Damaged lines and a torn tail are reported, never fatal.
import { statSync } from 'node:fs';
import { IndexEncoder, indexedTimes, trustedIndexRows } from './segmentIndex';
import type { IndexRow, IndexStrings } from './segmentIndex';
import type { SegmentRef } from './segmentFiles';
import { segmentLines, wholeLinesLength } from './segmentLines';
import type { StoreReadProblem } from './segmentLines';

export interface SegmentScan {
  rows: IndexRow[];
  /** The strings findings rows refer to by number. */
  strings: IndexStrings;
  /** Bytes of the segment and of its index on disk. */
  bytes: number;
  /** Rows the index did not hold and the segment was parsed for. */
  parsed: number;
}

export function scanSegment(ref: SegmentRef, finding: boolean, onProblem?: (p: StoreReadProblem) => void): SegmentScan {
  const lines = wholeLinesLength(ref.data);
  if (lines === undefined) return { rows: [], strings: [], bytes: 0, parsed: 0 };
  const { rows, strings, covered } = trustedIndexRows(ref.index, lines.whole, finding);
  let parsed = 0;
  if (covered < lines.size) {
    const encoder = new IndexEncoder(finding, strings);
    const torn = (offset: number) => onProblem?.({ file: ref.data, offset, reason: 'torn_tail' });
    for (const line of segmentLines(ref.data, covered, torn)) {
      let record: unknown;
      try {
        record = JSON.parse(line.bytes.toString('utf8'));
      } catch {
        record = undefined;
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        onProblem?.({ file: ref.data, offset: line.offset, reason: 'not_json' });
        continue;
      }
      rows.push(encoder.encode(record, line.offset, line.bytes.length).row);
      parsed++;
    }
  }
  return { rows, strings, bytes: lines.size + indexBytes(ref.index), parsed };
}

/** How many records a segment holds, its newest event time and its bytes, read from its index where it can be trusted. */
export function segmentSummary(ref: SegmentRef, finding: boolean, onProblem?: (p: StoreReadProblem) => void): { records: number; newest: number; bytes: number } {
  const lines = wholeLinesLength(ref.data);
  if (lines === undefined) return { records: 0, newest: -Infinity, bytes: 0 };
  const indexed = indexedTimes(ref.index, lines.whole);
  // The index holds everything (the usual case): no need to parse its rows.
  if (indexed.covered === lines.size) return { records: indexed.records, newest: indexed.newest, bytes: lines.size + indexBytes(ref.index) };
  const scan = scanSegment(ref, finding, onProblem);
  return { records: scan.rows.length, newest: newestTime(scan.rows), bytes: scan.bytes };
}

/** A whole index for a segment that has none (the old layout's file, when it is moved in). */
export function buildIndex(ref: SegmentRef, finding: boolean): { text: string; records: number } {
  const encoder = new IndexEncoder(finding);
  let text = '';
  let records = 0;
  for (const line of segmentLines(ref.data)) {
    let record: unknown;
    try {
      record = JSON.parse(line.bytes.toString('utf8'));
    } catch {
      continue; // left out of the index; readers report it when they parse around it
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) continue;
    text += encoder.encode(record, line.offset, line.bytes.length).text;
    records++;
  }
  return { text, records };
}

function indexBytes(file: string | undefined): number {
  if (file === undefined) return 0;
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Newest event time among rows (column 2), or -Infinity for none. */
export function newestTime(rows: readonly IndexRow[]): number {
  let newest = -Infinity;
  for (const r of rows) {
    const t = r[2];
    if (typeof t === 'number' && t > newest) newest = t;
  }
  return newest;
}
