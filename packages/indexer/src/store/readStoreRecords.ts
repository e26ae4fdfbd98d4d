// Reading a kind back in the order it was written: segment after segment (the old layout's flat
// file first), each line parsed. A torn last line and damaged lines are skipped and reported to
// `onProblem`, so one bad write never hides the records around it.
import { listSegments } from './segmentFiles';
import { segmentLines } from './segmentLines';
import type { StoreReadProblem } from './segmentLines';
import type { StoreKind } from './storeKinds';

export interface ReadStoreOptions {
  /** Told of each line skipped: a torn tail (a write cut short by a crash) or a line that is not JSON. */
  onProblem?: ((problem: StoreReadProblem) => void) | undefined;
}

function* records<T>(dir: string, kind: StoreKind, options: ReadStoreOptions): Generator<T | undefined> {
  const onProblem = options.onProblem;
  for (const segment of listSegments(dir, kind)) {
    const torn = (offset: number) => onProblem?.({ file: segment.data, offset, reason: 'torn_tail' });
    for (const line of segmentLines(segment.data, 0, torn)) {
      let record: unknown;
      try {
        record = JSON.parse(line.bytes.toString('utf8'));
      } catch {
        record = undefined;
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        onProblem?.({ file: segment.data, offset: line.offset, reason: 'not_json' });
        continue;
      }
      yield record as T;
    }
    // A pause between segments, where the async reader lets other work run.
    yield undefined;
  }
}

/** Every stored record of `kind` in `dir` (the --store directory), in write order; nothing if the store has none. */
export async function* readStoreRecords<T>(dir: string, kind: StoreKind, options: ReadStoreOptions = {}): AsyncGenerator<T> {
  let n = 0;
  for (const r of records<T>(dir, kind, options)) {
    if (r === undefined || ++n % 4096 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (r !== undefined) yield r;
  }
}

/** readStoreRecords, all at once, for callers that want an array (tests, small stores). */
export function readStoreRecordsSync<T>(dir: string, kind: StoreKind, options: ReadStoreOptions = {}): T[] {
  const out: T[] = [];
  for (const r of records<T>(dir, kind, options)) if (r !== undefined) out.push(r);
  return out;
}
