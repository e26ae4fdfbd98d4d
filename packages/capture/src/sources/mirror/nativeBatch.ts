// A batch of native records as posted to /v1/exchanges: NDJSON (one record per line; a JSON
// array of records is taken too) or MessagePack (an array of records, or records one after
// another). A bad line or record is a fault of its own; bytes that stop decoding end the batch
// there, keeping every record before them.
import { Decoder } from '@msgpack/msgpack';
import { jsonReason } from './jsonValues';
import { nativeExchange } from './nativeRecord';
import { PayloadKeys } from './payloadKeys';
import { tryRecord } from './recordFault';
import type { ParsedBatch } from './recordFault';

export type NativeEncoding = 'ndjson' | 'msgpack';

/** The encoding a Content-Type names; NDJSON unless it names MessagePack. */
export function nativeEncoding(contentType: string | undefined): NativeEncoding {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/msgpack' || type === 'application/x-msgpack' || type === 'application/vnd.msgpack' ? 'msgpack' : 'ndjson';
}

export function parseNativePayload(payload: Buffer, encoding: NativeEncoding): ParsedBatch {
  return encoding === 'msgpack' ? parseMsgpack(payload) : parseNdjson(payload);
}

function parseNdjson(payload: Buffer): ParsedBatch {
  const keys = new PayloadKeys('native', payload);
  const batch: ParsedBatch = { parts: [], faults: [] };
  // A body that is one JSON array of records (pretty-printed or not) is a batch too.
  const array = wholeArray(payload);
  if (array !== undefined) {
    for (let at = 0; at < array.length; at++) tryRecord(batch, at, `record ${at}`, () => nativeExchange(array[at], `record ${at}`, () => keys.at(at)));
    return batch;
  }
  let index = 0;
  let line = 0;
  let pos = 0;
  while (pos < payload.length) {
    let end = payload.indexOf(0x0a, pos);
    if (end < 0) end = payload.length;
    line++;
    const text = payload.toString('utf8', pos, end).trim();
    const lineStart = pos;
    pos = end + 1;
    if (text === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      batch.faults.push({ record: index, message: `record ${index} (line ${line}, byte offset ${lineStart}): not JSON (${jsonReason(err)}).` });
      index++;
      continue;
    }
    // A JSON array of records on one line (or as the whole body) is a batch of its own.
    for (const record of Array.isArray(value) ? value : [value]) {
      const at = index++;
      const label = `record ${at} (line ${line})`;
      tryRecord(batch, at, label, () => nativeExchange(record, label, () => keys.at(at)));
    }
  }
  return batch;
}

function wholeArray(payload: Buffer): unknown[] | undefined {
  let k = 0;
  while (k < payload.length && (payload[k] === 0x20 || payload[k] === 0x0a || payload[k] === 0x0d || payload[k] === 0x09)) k++;
  if (payload[k] !== 0x5b) return undefined;
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    return Array.isArray(value) ? value : undefined;
  } catch {
    // Not one array after all: read it line by line, which names the bad line.
    return undefined;
  }
}

function parseMsgpack(payload: Buffer): ParsedBatch {
  const keys = new PayloadKeys('native', payload);
  const batch: ParsedBatch = { parts: [], faults: [] };
  let index = 0;
  try {
    // No element takes less than a byte: lengths past the payload's are lies, refused before any allocation.
    const n = payload.length;
    for (const value of new Decoder({ maxStrLength: n, maxBinLength: n, maxArrayLength: n, maxMapLength: n, maxExtLength: n }).decodeMulti(payload)) {
      for (const record of Array.isArray(value) ? value : [value]) {
        const at = index++;
        tryRecord(batch, at, `record ${at}`, () => nativeExchange(record, `record ${at}`, () => keys.at(at)));
      }
    }
  } catch (err) {
    batch.faults.push({ record: index, message: `record ${index}: not MessagePack (${(err as Error).message}); the records before it were kept.` });
  }
  return batch;
}
