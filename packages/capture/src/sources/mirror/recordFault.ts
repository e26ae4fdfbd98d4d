// What a mirror payload parser hands back: the exchanges its good records describe, and one
// sentence for each bad record, so a bad record never costs the good ones beside it.
import type { z } from 'zod';
import type { ExchangeParts } from '../../http/messageExchange';

export interface RecordFault {
  /** Position of the record in the payload, counted from 0. */
  record: number;
  /** One sentence naming the record and what is wrong with it. */
  message: string;
}

export interface ParsedBatch {
  parts: ExchangeParts[];
  faults: RecordFault[];
}

/** A record that cannot become an exchange; caught per record by the batch loop. */
export class RecordError extends Error {
  override readonly name = 'RecordError';
}

/** The whole payload cannot be read (not JSON, not MessagePack, not the expected document). */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}

/** `label` names the record in messages ("record 3", "record 3 (line 4)"). */
export function recordError(label: string, what: string): RecordError {
  return new RecordError(`${label}: ${what}.`);
}

/** Parses `value` with `schema`, or throws a RecordError naming the first field at fault. */
export function readRecord<S extends z.ZodType>(schema: S, value: unknown, label: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw recordError(label, 'is not valid');
  const path = issue.path.map((p, k) => (typeof p === 'number' ? `[${p}]` : k === 0 ? String(p) : `.${String(p)}`)).join('');
  // zod says "Invalid input: expected string, received number"; the sentence needs only the second half.
  const what = issue.message.replace(/^[A-Z][a-z ]*: /, '');
  throw recordError(label, path === '' ? what : `${path} ${what}`);
}

/**
 * Runs `one` over each record, keeping the good ones and a fault for each bad one. Anything a
 * record makes a parser throw is that record's fault: hostile input never ends the batch.
 */
export function eachRecord<T>(
  records: readonly T[],
  one: (record: T, label: string, index: number) => ExchangeParts,
  labelOf: (index: number) => string = (index) => `record ${index}`,
): ParsedBatch {
  const batch: ParsedBatch = { parts: [], faults: [] };
  for (let index = 0; index < records.length; index++) {
    const label = labelOf(index);
    tryRecord(batch, index, label, () => one(records[index] as T, label, index));
  }
  return batch;
}

/** The longest exchange a record may describe; event.duration (ns) must stay a safe integer. */
const MAX_SPAN_US = 30 * 86_400 * 1e6;

/** Adds what `make` builds for record `index` to the batch, or its fault. */
export function tryRecord(batch: ParsedBatch, index: number, label: string, make: () => ExchangeParts): void {
  try {
    const parts = make();
    const end = parts.response?.endUs ?? parts.request.endUs;
    if (end - parts.request.startUs > MAX_SPAN_US) throw recordError(label, 'ends more than 30 days after it starts');
    batch.parts.push(parts);
  } catch (err) {
    batch.faults.push(faultOf(err, index, label));
  }
}

/** The fault for what record `index` threw. */
export function faultOf(err: unknown, index: number, label: string): RecordFault {
  const message = err instanceof RecordError ? err.message : `${label}: could not be read (${(err as Error).message}).`;
  return { record: index, message };
}
