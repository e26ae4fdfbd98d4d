// One pass over a JSON body sample: nesting depth, the largest object or array, and the first key
// repeated within one object. JSON.parse cannot answer the last (it keeps the last duplicate) and
// fails on a sample cut at the cap, so this reads tokens without building values.

export interface JsonShape {
  /** Deepest nesting of objects and arrays. */
  depth: number;
  /** Most members of one object or array. */
  largest: number;
  /** First key given twice in one object, escapes decoded. */
  duplicateKey?: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Keys remembered per object for the duplicate check; a larger object is judged by size instead. */
const MAX_KEYS_PER_OBJECT = 4096;

/** The shape of s[0, limit); a sample cut mid-document gives the shape of what it holds. */
export function scanJson(s: string, limit: number): JsonShape {
  const end = Math.min(s.length, limit);
  // Per open container: 1 for an object, 0 for an array; its member count; its keys.
  const isObject: number[] = [];
  const members: number[] = [];
  const keys: (Set<string> | undefined)[] = [];
  let depth = 0;
  let largest = 0;
  let duplicateKey: string | undefined;
  let expectKey = false;
  let i = 0;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      let escaped = false;
      while (j < end) {
        const d = s.charCodeAt(j);
        if (d === BACKSLASH) {
          escaped = true;
          j += 2;
          continue;
        }
        if (d === QUOTE) break;
        j++;
      }
      const top = isObject.length - 1;
      if (top >= 0 && members[top] === 0) members[top] = 1;
      if (expectKey && top >= 0 && j < end && duplicateKey === undefined) {
        const key = keyText(s, i + 1, j, escaped);
        let set = keys[top];
        if (set === undefined) keys[top] = set = new Set();
        if (set.has(key)) duplicateKey = key;
        else if (set.size < MAX_KEYS_PER_OBJECT) set.add(key);
      }
      expectKey = false;
      i = j + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      const top = members.length - 1;
      if (top >= 0 && members[top] === 0) members[top] = 1;
      isObject.push(c === 0x7b ? 1 : 0);
      members.push(0);
      keys.push(undefined);
      if (isObject.length > depth) depth = isObject.length;
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      const n = members.pop() ?? 0;
      if (n > largest) largest = n;
      isObject.pop();
      keys.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      const top = members.length - 1;
      if (top >= 0) {
        members[top] = (members[top] as number) + 1;
        if ((members[top] as number) > largest) largest = members[top] as number;
      }
      expectKey = isObject[top] === 1;
    } else if (c > 0x20) {
      // A value's first byte: the container it stands in has at least one member.
      const top = members.length - 1;
      if (top >= 0 && members[top] === 0 && c !== 0x3a) members[top] = 1;
    }
    i++;
  }
  // Members of containers the sample cut open: commas counted so far plus the one being written.
  for (const n of members) if (n > largest) largest = n;
  const shape: JsonShape = { depth, largest };
  if (duplicateKey !== undefined) shape.duplicateKey = duplicateKey;
  return shape;
}

function keyText(s: string, from: number, to: number, escaped: boolean): string {
  const raw = s.slice(from, to);
  if (!escaped) return raw;
  // "r\u006fle" and "role" are one key to every parser.
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** Whether a body sample reads as JSON: its first non-blank byte opens a JSON value. */
export function looksLikeJson(s: string): boolean {
  const c = firstByte(s);
  return c === 0x7b || c === 0x5b;
}

export function firstByte(s: string): number {
  for (let k = 0; k < s.length && k < 1024; k++) {
    const c = s.charCodeAt(k);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xfeff) return c;
  }
  return -1;
}
