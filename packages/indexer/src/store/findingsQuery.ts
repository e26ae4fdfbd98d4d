// Findings from the store by category, severity, actor, endpoint and event time, answered from the
// segments' indexes: no finding is parsed, and with `json` each match's stored line is copied as
// written. Findings come in write order, each id once (a replay or a retry writes the same
// finding again under the same id; the first is kept).
import { COL, findingRowOf } from './findingRow';
import type { FindingRow } from './findingRow';
import type { IndexRow, IndexStrings } from './segmentIndex';
import { listSegments } from './segmentFiles';
import type { StoreReadProblem } from './segmentLines';
import { scanSegment, segmentSummary } from './segmentScan';
import { readStoredLines, readStoredRecords } from './storedLines';

export interface FindingsFilter {
  /** rule.category is one of these. */
  categories?: readonly string[] | undefined;
  /** event.severity at least this (1 low .. 4 critical). */
  minSeverity?: number | undefined;
  /** event.severity exactly this. */
  severity?: number | undefined;
  /**
   * Who, matched as `sidetap timeline` matches: a user name or id (or `user:<name>`), an actor key
   * (`jwt:alice`), an actor id (a token or cookie hash), or a source IP address.
   */
  actor?: string | undefined;
  /** sidetap.endpoint equals this template; `*` stands for any run of characters. */
  endpoint?: string | undefined;
  /** @timestamp at or after this (ms). */
  since?: number | undefined;
  /** @timestamp before this (ms). */
  until?: number | undefined;
  /** At most this many are returned (the rest are still counted in stats.matched). */
  limit?: number | undefined;
}

export interface FindingMatch extends FindingRow {
  /** The finding's stored JSON line (no newline), when asked for with `json`. */
  json?: Buffer;
}

export interface FindingsQueryStats {
  /** Findings that pass the filter, beyond the limit included. */
  matched: number;
  /** Index rows looked at. */
  scanned: number;
  /** Rows left out as a repeat of an id already seen. */
  duplicates: number;
  /** Findings parsed because no index covered them (a crash before the index was written, or the old layout). */
  parsed: number;
}

export interface FindingsQueryOptions {
  /** Also read each match's stored line. */
  json?: boolean | undefined;
  onProblem?: ((problem: StoreReadProblem) => void) | undefined;
  /** Filled in as the query runs. */
  stats?: FindingsQueryStats | undefined;
}

export function emptyQueryStats(): FindingsQueryStats {
  return { matched: 0, scanned: 0, duplicates: 0, parsed: 0 };
}

/** The matching findings, one by one. */
export async function* queryFindings(dir: string, filter: FindingsFilter = {}, options: FindingsQueryOptions = {}): AsyncGenerator<FindingMatch> {
  for await (const page of queryFindingPages(dir, filter, options)) yield* page;
}

/** The matching findings a segment at a time: for long listings, where awaiting each one would cost more than making it. */
export async function* queryFindingPages(dir: string, filter: FindingsFilter = {}, options: FindingsQueryOptions = {}): AsyncGenerator<FindingMatch[]> {
  for (const { file, strings, rows } of matchingRows(dir, filter, options)) {
    const page: FindingMatch[] = rows.map((row) => findingRowOf(row, strings, file));
    if (options.json === true) readStoredRecords(file, page);
    yield page;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * The matches' stored lines, newlines included, several to a buffer (neighbours are read together:
 * listing a whole segment is a handful of reads): NDJSON output with no per-finding work at all.
 */
export async function* queryFindingLines(dir: string, filter: FindingsFilter = {}, options: Omit<FindingsQueryOptions, 'json'> = {}): AsyncGenerator<Buffer> {
  for (const { file, rows } of matchingRows(dir, filter, options)) {
    yield* readStoredLines(file, rows);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Per segment, the rows that pass the filter, each id once, up to the limit (all are counted). */
function* matchingRows(dir: string, filter: FindingsFilter, options: FindingsQueryOptions): Generator<{ file: string; strings: IndexStrings; rows: IndexRow[] }> {
  const stats = options.stats ?? emptyQueryStats();
  const limit = filter.limit ?? Infinity;
  const seen = new Set<string>();
  let given = 0;
  for (const ref of listSegments(dir, 'alert')) {
    const scan = scanSegment(ref, true, options.onProblem);
    stats.parsed += scan.parsed;
    // Strings are numbered per segment, so the filter is turned into numbers per segment.
    const test = compileFilter(filter, scan.strings);
    const rows: IndexRow[] = [];
    for (const row of scan.rows) {
      stats.scanned++;
      if (!test(row)) continue;
      const id = row[COL.id];
      if (typeof id === 'string') {
        if (seen.has(id)) {
          stats.duplicates++;
          continue;
        }
        seen.add(id);
      }
      stats.matched++;
      if (given < limit) {
        rows.push(row);
        given++;
      }
    }
    if (rows.length > 0) yield { file: ref.data, strings: scan.strings, rows };
  }
}

/** The newest @timestamp (ms) among stored findings, or undefined when there are none. */
export function newestFindingTime(dir: string): number | undefined {
  let newest = -Infinity;
  for (const ref of listSegments(dir, 'alert')) newest = Math.max(newest, segmentSummary(ref, true).newest);
  return newest === -Infinity ? undefined : newest;
}

function compileFilter(f: FindingsFilter, strings: IndexStrings): (row: IndexRow) => boolean {
  const tests: ((row: IndexRow) => boolean)[] = [];
  // The numbers of the segment's strings that pass `keep`.
  const codes = (keep: (s: string) => boolean): Set<number> => {
    const out = new Set<number>();
    for (const [i, s] of strings.entries()) if (keep(s)) out.add(i);
    return out;
  };
  if (f.categories !== undefined) {
    const wanted = new Set(f.categories);
    const set = codes((s) => wanted.has(s));
    tests.push((r) => set.has(r[COL.category] as number));
  }
  if (f.minSeverity !== undefined) {
    const min = f.minSeverity;
    tests.push((r) => (r[COL.severity] as number) >= min);
  }
  if (f.severity !== undefined) {
    const exact = f.severity;
    tests.push((r) => r[COL.severity] === exact);
  }
  if (f.since !== undefined || f.until !== undefined) {
    const since = f.since ?? -Infinity;
    const until = f.until ?? Infinity;
    tests.push((r) => {
      const t = r[COL.time];
      return typeof t === 'number' && t >= since && t < until;
    });
  }
  if (f.endpoint !== undefined) {
    const e = f.endpoint;
    const re = e.includes('*') ? new RegExp(`^${e.split('*').map(escapeRegExp).join('.*')}$`, 's') : undefined;
    const set = codes((s) => (re === undefined ? s === e : re.test(s)));
    tests.push((r) => set.has(r[COL.endpoint] as number));
  }
  if (f.actor !== undefined) {
    // The matching `sidetap timeline` does on events, on the fields a finding carries: its actor
    // key, the identity inside it (a JWT subject, or the keyed hash of a token or cookie), its user
    // and its source address. A finding about no single actor (a distributed attack) matches by
    // address only.
    const q = f.actor;
    const bare = q.replace(/^user:/, '');
    const keys = codes((s) => s === q || s.slice(s.indexOf(':') + 1) === q);
    const user = strings.indexOf(bare);
    const ip = strings.indexOf(q);
    tests.push((r) => keys.has(r[COL.actorKey] as number) || (user !== -1 && (r[COL.userName] === user || r[COL.userId] === user)) || (ip !== -1 && r[COL.ip] === ip));
  }
  return (row) => {
    for (const t of tests) if (!t(row)) return false;
    return true;
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
