// Where each scalar of a JSON body sample sits and what names it: one forgiving, iterative pass
// that records every string and number's span with its key and path ($.customers[*].card), so
// a hit found anywhere in the text can be told which field it is in. Numbers keep their digits
// (JSON.parse would round a 19-digit card), a sample cut mid-document keeps what came before the
// cut, and depth, leaves and distinct paths are bounded.
import { safeFieldName } from './fieldNames';

const MAX_DEPTH = 256;
const MAX_LEAVES = 200_000;
const MAX_PATHS = 4096;

export class JsonLeaves {
  /** Leaf spans, in text order: the value's characters (inside the quotes for a string). */
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly nameIds: number[] = [];
  readonly pathIds: number[] = [];
  readonly names: string[] = [];
  readonly paths: string[] = [];
  /** Offset where reading stopped: the text's end, or where it stopped being JSON. */
  end = 0;
  private readonly nameIndex = new Map<string, number>();
  private readonly pathIndex = new Map<string, number>();

  /** The leaf containing offset `at`, if any. */
  leafAt(at: number): number | undefined {
    if (at >= this.end) return undefined;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.starts[mid] as number) <= at) lo = mid + 1;
      else hi = mid - 1;
    }
    if (hi < 0 || at >= (this.ends[hi] as number)) return undefined;
    return hi;
  }

  add(start: number, end: number, name: string, path: string): void {
    this.starts.push(start);
    this.ends.push(end);
    this.nameIds.push(intern(this.nameIndex, this.names, name));
    this.pathIds.push(this.pathIndex.size >= MAX_PATHS && !this.pathIndex.has(path) ? intern(this.pathIndex, this.paths, '$...') : intern(this.pathIndex, this.paths, path));
  }

  get full(): boolean {
    return this.starts.length >= MAX_LEAVES;
  }
}

function intern(index: Map<string, number>, list: string[], s: string): number {
  let id = index.get(s);
  if (id === undefined) {
    id = list.length;
    list.push(s);
    index.set(s, id);
  }
  return id;
}

interface Frame {
  array: boolean;
  path: string;
  /** The key naming this container (array elements are named by it). */
  name: string;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** End of the JSON string whose opening quote is at `q` (index of the closing quote), or -1 when cut. */
function stringEnd(text: string, q: number): number {
  for (let i = q + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
  return -1;
}

function keyText(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** Reads `text` from its first `{` or `[` as far as it is JSON. */
export function readJsonLeaves(text: string): JsonLeaves {
  const out = new JsonLeaves();
  const stack: Frame[] = [];
  let i = 0;
  const n = text.length;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  // The key of the member whose value comes next (objects), set after its colon.
  let pending: string | undefined;
  let expectKey = false;
  let ok = true;
  while (i < n && ok) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || c === 0x2c) {
      if (c === 0x2c && stack.length > 0 && !(stack[stack.length - 1] as Frame).array) expectKey = true;
      i++;
      continue;
    }
    const top = stack[stack.length - 1];
    if (expectKey) {
      if (c === 0x7d) {
        stack.pop();
        expectKey = false;
        i++;
        continue;
      }
      if (c !== 0x22) break;
      const e = stringEnd(text, i);
      if (e < 0) break;
      const name = keyText(text.slice(i + 1, Math.min(e, i + 257)));
      i = e + 1;
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== 0x3a) break;
      i++;
      pending = name;
      expectKey = false;
      continue;
    }
    if (c === 0x5d || c === 0x7d) {
      stack.pop();
      i++;
      continue;
    }
    const name = top === undefined ? '' : top.array ? top.name : (pending ?? '');
    const path = top === undefined ? '$' : top.array ? `${top.path}[*]` : `${top.path}.${safeFieldName(name)}`;
    pending = undefined;
    if (c === 0x7b || c === 0x5b) {
      if (stack.length >= MAX_DEPTH) break;
      stack.push({ array: c === 0x5b, path, name });
      expectKey = c === 0x7b;
      i++;
      continue;
    }
    if (c === 0x22) {
      const e = stringEnd(text, i);
      out.add(i + 1, e < 0 ? n : e, name, path);
      if (e < 0) {
        i = n;
        break;
      }
      i = e + 1;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let e = i + 1;
      while (e < n) {
        const d = text.charCodeAt(e);
        if ((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) e++;
        else break;
      }
      out.add(i, e, name, path);
      i = e;
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      while (i < n && text.charCodeAt(i) >= 0x61 && text.charCodeAt(i) <= 0x7a) i++;
    } else {
      ok = false;
      break;
    }
    if (out.full) break;
    if (stack.length === 0) {
      // One top-level value: NDJSON goes on to the next line's document.
      while (i < n && isSpace(text.charCodeAt(i))) i++;
    }
  }
  out.end = i;
  return out;
}
