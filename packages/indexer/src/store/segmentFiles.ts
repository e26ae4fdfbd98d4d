// Where a kind's segments are: `<store>/<kind dir>/<seq>.ndjson`, each with its index
// `<seq>.idx`, numbered in the order they were started; and the flat file of the old layout.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LEGACY_STORE_FILES, STORE_KIND_DIRS } from './storeKinds';
import type { StoreKind } from './storeKinds';

export interface SegmentRef {
  /** Order of writing; -1 is the old layout's flat file still in place (the next writer moves it in as 0). */
  seq: number;
  /** The records, one JSON document per line. */
  data: string;
  /** The index beside it (may be missing, short or torn: readers check it against the data). */
  index: string | undefined;
}

const SEQ_DIGITS = 10;
const SEGMENT_NAME = /^(\d{10})\.ndjson$/;

export function kindDir(storeDir: string, kind: StoreKind): string {
  return join(storeDir, STORE_KIND_DIRS[kind]);
}

export function legacyFile(storeDir: string, kind: StoreKind): string {
  return join(storeDir, LEGACY_STORE_FILES[kind]);
}

export function segmentRef(dir: string, seq: number): SegmentRef {
  const base = join(dir, String(seq).padStart(SEQ_DIGITS, '0'));
  return { seq, data: `${base}.ndjson`, index: `${base}.idx` };
}

/** A kind's segments in the order they were written: the old layout's file first if it is still in place. */
export function listSegments(storeDir: string, kind: StoreKind): SegmentRef[] {
  const out: SegmentRef[] = [];
  const legacy = legacyFile(storeDir, kind);
  if (existsSync(legacy)) out.push({ seq: -1, data: legacy, index: undefined });
  const dir = kindDir(storeDir, kind);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  const seqs: number[] = [];
  for (const name of names) {
    const m = SEGMENT_NAME.exec(name);
    if (m) seqs.push(Number(m[1]));
  }
  seqs.sort((a, b) => a - b);
  for (const seq of seqs) out.push(segmentRef(dir, seq));
  return out;
}

/** Whether anything of this kind was ever stored (an empty store and a missing one read the same otherwise). */
export function kindExists(storeDir: string, kind: StoreKind): boolean {
  return existsSync(kindDir(storeDir, kind)) || existsSync(legacyFile(storeDir, kind));
}
