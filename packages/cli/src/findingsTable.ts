// The table `sidetap findings` prints: one line per finding, fixed-width columns so it streams
// without a first pass to size them. Values come from traffic (user names, paths), so control
// characters are replaced: a finding must not be able to drive the terminal that lists it.
import type { FindingRow } from '@sidetap/indexer';

export const SEVERITY_NAMES = ['', 'low', 'medium', 'high', 'critical'] as const;

const COLUMNS = [
  ['TIME', 24],
  ['SEVERITY', 8],
  ['CATEGORY', 23],
  ['RULE', 30],
  ['ACTOR', 30],
  ['ENDPOINT', 34],
] as const;
const MESSAGE_CHARS = 80;

export function findingsTableHeader(): string {
  return COLUMNS.map(([name, width]) => name.padEnd(width)).join('  ') + '  MESSAGE\n';
}

// Categories, rules, actors and endpoints repeat from line to line: each cell is made once.
const CACHED_CELLS = 10_000;
const cells = COLUMNS.map(() => new Map<string, string>());

export function findingsTableLine(r: FindingRow): string {
  return (
    isoTime(r.time) +
    '  ' +
    cell(1, SEVERITY_NAMES[r.severity] ?? String(r.severity)) +
    cell(2, r.category) +
    cell(3, r.rule) +
    // A person is named by user when the credentials said, else by actor key or address.
    cell(4, r.userName ?? r.userId ?? r.actorKey ?? r.sourceIp ?? '-') +
    cell(5, r.endpoint ?? '-') +
    clean(shorten(r.message, MESSAGE_CHARS)) +
    '\n'
  );
}

// Findings come roughly in time order, so the text up to the minute is made once per minute.
let minuteMs = NaN;
let minuteText = '';

function isoTime(ms: number): string {
  if (!Number.isFinite(ms)) return '-'.padEnd(COLUMNS[0][1]);
  const minute = ms - (((ms % 60_000) + 60_000) % 60_000);
  if (minute !== minuteMs) {
    const iso = new Date(minute).toISOString();
    // Years outside 0000-9999 have a longer form: leave those to toISOString.
    if (iso.length !== 24) return new Date(ms).toISOString();
    minuteMs = minute;
    minuteText = iso.slice(0, 17);
  }
  const within = ms - minute;
  const sec = Math.floor(within / 1000);
  const milli = within % 1000;
  return `${minuteText}${sec < 10 ? '0' : ''}${sec}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

function cell(column: number, value: string): string {
  const cache = cells[column]!;
  let text = cache.get(value);
  if (text === undefined) {
    text = clean(shorten(value, COLUMNS[column]![1])).padEnd(COLUMNS[column]![1]) + '  ';
    if (cache.size >= CACHED_CELLS) cache.clear();
    cache.set(value, text);
  }
  return text;
}

function shorten(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

// C0 and C1 controls, DEL, and lone surrogates left by a cut.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const MAYBE_UNSAFE = /[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/;

function clean(s: string): string {
  return MAYBE_UNSAFE.test(s) ? s.replace(UNSAFE, '?') : s;
}
