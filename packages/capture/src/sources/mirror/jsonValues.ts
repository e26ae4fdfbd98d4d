// Reads a payload of JSON values as gateways send them: one document, an array of records, or
// records one after another (NDJSON, or the pretty-printed objects Envoy's admin tap streams).
// The elements of a top-level array count as records of their own. A value that does not parse
// ends the payload there; everything before it is kept.
import { jsonErrorOffset } from './jsonErrorOffset';
import type { RecordFault } from './recordFault';

export interface JsonValues {
  values: unknown[];
  /** Set when bytes from `offset` on are not JSON; `values` holds everything before them. */
  fault: { offset: number; reason: string } | undefined;
}

const SPACE = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) SPACE[c] = 1;

export function jsonValues(payload: Buffer): JsonValues {
  const values: unknown[] = [];
  // The usual case, one document (or one array), is one JSON.parse.
  try {
    pushValue(values, JSON.parse(payload.toString('utf8')));
    return { values, fault: undefined };
  } catch {
    values.length = 0;
  }
  let pos = skipSpace(payload, 0);
  while (pos < payload.length) {
    const end = valueEnd(payload, pos);
    const text = payload.toString('utf8', pos, end);
    try {
      pushValue(values, JSON.parse(text));
    } catch (err) {
      const offset = jsonErrorOffset(payload, pos, end);
      return { values, fault: { offset: offset < 0 ? pos : offset, reason: jsonReason(err) } };
    }
    pos = skipSpace(payload, end);
  }
  return { values, fault: undefined };
}

function pushValue(values: unknown[], value: unknown): void {
  if (Array.isArray(value)) for (const v of value) values.push(v);
  else values.push(value);
}

function skipSpace(buf: Buffer, pos: number): number {
  while (pos < buf.length && SPACE[buf[pos] as number] === 1) pos++;
  return pos;
}

/**
 * Where the value starting at `start` ends: after the bracket closing its first object or array,
 * or at the next whitespace for a scalar. Bytes of multi-byte UTF-8 characters are all >= 0x80,
 * so scanning bytes for quotes and brackets is safe. An unclosed value runs to the end.
 */
function valueEnd(buf: Buffer, start: number): number {
  const first = buf[start];
  if (first !== 0x7b && first !== 0x5b) {
    let p = start;
    while (p < buf.length && SPACE[buf[p] as number] !== 1) p++;
    return p;
  }
  let depth = 0;
  let inString = false;
  for (let p = start; p < buf.length; p++) {
    const c = buf[p] as number;
    if (inString) {
      if (c === 0x5c) p++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return p + 1;
  }
  return buf.length;
}

/** JSON.parse's reason without the position or the quoted text (the offset says where). */
export function jsonReason(err: unknown): string {
  const message = (err as Error).message;
  const cut = message.search(/, (?:\.\.\.)?"| in JSON at position| is not valid JSON/);
  return cut < 0 ? message : message.slice(0, cut);
}

/** The fault for bytes that stop parsing after `records` good values. */
export function jsonFault(fault: NonNullable<JsonValues['fault']>, records: number): RecordFault {
  return { record: records, message: `record ${records}: not JSON at byte offset ${fault.offset} (${fault.reason}); the records before it were kept.` };
}
