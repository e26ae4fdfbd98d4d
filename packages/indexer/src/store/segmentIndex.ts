// The index beside each segment, one line per record in the same order: `[offset, length, event
// time ms]`, and for findings the fields queries filter on and the table shows. Repeated strings
// (category, rule, actor, user, address, endpoint) are written in full the first time a segment
// has them and by number after (the n-th distinct string of the segment), which halves the index
// and what reading it allocates.
// It lets `sidetap findings` answer without parsing a finding, and retention know a segment's
// newest record. It is derived data: readers trust it only as far as it agrees with the segment
// (rows in order, inside the segment's whole lines, referring to strings already defined) and
// parse the segment beyond that.
import { readFileSync } from 'node:fs';
import { parseIsoTime } from '@sidetap/core';

/** How much of a finding's message the index keeps (the table shows at most this). */
export const INDEXED_MESSAGE_CHARS = 80;

/** [offset, length, time, ...]: for findings, see COL in findingRow.ts. */
export type IndexRow = unknown[];

/** Strings of a findings segment's index, by number. */
export type IndexStrings = string[];

export const GENERIC_ROW_WIDTH = 3;
export const FINDING_ROW_WIDTH = 13;
/** Columns of a findings row that hold a string number (-1: absent). */
const CODED = [5, 6, 7, 8, 9, 10, 11] as const;

/** The fields of a record the index reads; everything is optional since stored lines are not trusted. */
interface IndexedRecord {
  '@timestamp': string;
  message: string;
  event: { id?: string; severity?: number };
  rule: { id?: string; category?: string };
  user: { name?: string; id?: string };
  source: { ip?: string };
  sidetap: { actor_key?: string; endpoint?: string };
}

/** Makes a segment's index lines, numbering its strings as they first appear. */
export class IndexEncoder {
  private readonly codes = new Map<string, number>();

  /** `strings` already defined in the index being continued. */
  constructor(
    private readonly finding: boolean,
    readonly strings: IndexStrings = [],
  ) {
    for (const [i, s] of strings.entries()) this.codes.set(s, i);
  }

  /**
   * The row of a record written at `offset` in `length` bytes (newline excluded), with every string
   * column as its number, and its index line, where a string new to the segment is written out.
   */
  encode(record: unknown, offset: number, length: number): { row: IndexRow; text: string } {
    const r = (typeof record === 'object' && record !== null ? record : {}) as Partial<IndexedRecord>;
    const t = typeof r['@timestamp'] === 'string' ? parseIsoTime(r['@timestamp']) : NaN;
    const row: IndexRow = [offset, length, Number.isNaN(t) ? null : t];
    if (!this.finding) return { row, text: JSON.stringify(row) + '\n' };
    const id = r.event?.id;
    const severity = r.event?.severity;
    row.push(typeof id === 'string' ? id : null, typeof severity === 'number' ? severity : null);
    const line = row.slice();
    for (const v of [r.rule?.category, r.rule?.id, r.sidetap?.actor_key, r.user?.name, r.user?.id, r.source?.ip, r.sidetap?.endpoint]) {
      if (typeof v !== 'string') {
        row.push(-1);
        line.push(-1);
        continue;
      }
      let c = this.codes.get(v);
      if (c === undefined) {
        c = this.strings.length;
        this.codes.set(v, c);
        this.strings.push(v);
        line.push(v);
      } else {
        line.push(c);
      }
      row.push(c);
    }
    const message = typeof r.message === 'string' ? cut(r.message, INDEXED_MESSAGE_CHARS) : '';
    row.push(message);
    line.push(message);
    return { row, text: JSON.stringify(line) + '\n' };
  }
}

/** Cuts to at most `n` UTF-16 units without splitting a surrogate pair. */
export function cut(s: string, n: number): string {
  if (s.length <= n) return s;
  const code = s.charCodeAt(n - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

/**
 * The rows of `indexFile` that agree with a segment whose whole lines end at `whole`: each starts
 * at or after the end of the previous one (after, where a damaged line was left out), ends inside
 * the whole lines and refers only to strings written out above it. Reading stops at the first line
 * that does not (a torn or stale index); `covered` is where the trusted rows end. Rows come back
 * with every string column as its number in `strings`.
 */
export function trustedIndexRows(indexFile: string | undefined, whole: number, finding: boolean): { rows: IndexRow[]; strings: IndexStrings; covered: number } {
  const rows: IndexRow[] = [];
  const strings: IndexStrings = [];
  let covered = 0;
  if (indexFile === undefined) return { rows, strings, covered };
  let text: string;
  try {
    text = readFileSync(indexFile, 'utf8');
  } catch {
    return { rows, strings, covered };
  }
  const width = finding ? FINDING_ROW_WIDTH : GENERIC_ROW_WIDTH;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) break;
    let row: unknown;
    try {
      row = JSON.parse(text.slice(start, nl));
    } catch {
      break;
    }
    start = nl + 1;
    if (!Array.isArray(row) || row.length !== width) break;
    const offset = row[0];
    const length = row[1];
    if (typeof offset !== 'number' || offset < covered || typeof length !== 'number' || length < 1 || offset + length + 1 > whole) break;
    if (finding && !decodeStrings(row, strings)) break;
    rows.push(row);
    covered = offset + length + 1;
  }
  return { rows, strings, covered };
}

/** Checks a row's string columns (a new string, or the number of one before) and turns them all into numbers. */
function decodeStrings(row: unknown[], strings: IndexStrings): boolean {
  let known = strings.length;
  for (const c of CODED) {
    const v = row[c];
    if (typeof v === 'string') known++;
    else if (!Number.isInteger(v) || (v as number) < -1 || (v as number) >= known) return false;
  }
  for (const c of CODED) {
    const v = row[c];
    if (typeof v === 'string') {
      row[c] = strings.length;
      strings.push(v);
    }
  }
  return true;
}

/**
 * Record count and newest event time of the rows trustedIndexRows would accept, read without
 * parsing them (the first three numbers of each row line): what retention and relative times need.
 */
export function indexedTimes(indexFile: string | undefined, whole: number): { records: number; newest: number; covered: number } {
  let records = 0;
  let newest = -Infinity;
  let covered = 0;
  if (indexFile === undefined) return { records, newest, covered };
  let text: string;
  try {
    text = readFileSync(indexFile, 'latin1');
  } catch {
    return { records, newest, covered };
  }
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) break;
    const first = text.charCodeAt(start);
    const a = text.indexOf(',', start);
    const b = a === -1 ? -1 : text.indexOf(',', a + 1);
    const c = b === -1 ? -1 : text.indexOf(',', b + 1);
    const end = c === -1 || c > nl ? text.lastIndexOf(']', nl) : c;
    if (first !== 0x5b /* [ */ || b === -1 || b > nl || end <= b) break;
    const offset = Number(text.slice(start + 1, a));
    const length = Number(text.slice(a + 1, b));
    const time = text.slice(b + 1, end);
    if (!Number.isInteger(offset) || offset < covered || !Number.isInteger(length) || length < 1 || offset + length + 1 > whole) break;
    const t = time === 'null' ? NaN : Number(time);
    if (t > newest) newest = t;
    records++;
    covered = offset + length + 1;
    start = nl + 1;
  }
  return { records, newest, covered };
}
