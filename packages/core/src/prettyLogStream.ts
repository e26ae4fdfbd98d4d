// A readable rendering of pino's JSON lines for a terminal ("12:00:01.250 WARN  [capture] msg k=v"),
// kept in core because sidetap ships no log prettifier dependency.
import type { DestinationStream } from 'pino';

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
// pino's own bookkeeping fields, shown in the line's fixed part or not at all.
const FIXED_FIELDS = new Set(['level', 'time', 'msg', 'stage', 'pid', 'hostname']);

export function prettyLogStream(sink: DestinationStream): DestinationStream {
  return { write: (line: string) => sink.write(formatLogLine(line)) };
}

export function formatLogLine(line: string): string {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return `${line.trimEnd()}\n`;
  const r = record as Record<string, unknown>;
  const time = typeof r['time'] === 'number' ? new Date(r['time']).toISOString().slice(11, 23) : '';
  const level = (typeof r['level'] === 'number' ? LEVEL_NAMES[r['level']] : undefined) ?? String(r['level']);
  const stage = typeof r['stage'] === 'string' ? ` [${r['stage']}]` : '';
  const msg = typeof r['msg'] === 'string' ? ` ${r['msg']}` : '';
  let extra = '';
  let stack = '';
  for (const [key, value] of Object.entries(r)) {
    if (FIXED_FIELDS.has(key)) continue;
    if (key === 'err' && value !== null && typeof value === 'object' && 'stack' in value && typeof value.stack === 'string') {
      stack = `\n  ${value.stack.replace(/\n/g, '\n  ')}`;
      continue;
    }
    extra += ` ${key}=${typeof value === 'string' && /^[^\s="]*$/.test(value) ? value : JSON.stringify(value)}`;
  }
  return `${time} ${level.padEnd(5)}${stage}${msg}${extra}${stack}\n`;
}
