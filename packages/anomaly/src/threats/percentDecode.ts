// Percent-decoding as the most lenient server does it, because that is the server an evasion
// targets: `%XX` bytes read as UTF-8 that accepts overlong forms (`%c0%ae` is `.`, the IIS
// traversal trick), IIS's `%uXXXX`, and a malformed escape kept as written. Never throws.

export interface PercentDecoded {
  text: string;
  /** An overlong UTF-8 form or a %uXXXX escape was decoded: encodings no honest client sends. */
  trick: boolean;
}

const result: PercentDecoded = { text: '', trick: false };
const bytes: number[] = [];

/** Decodes once; `plusIsSpace` for query strings and forms. The result object is reused between calls. */
export function percentDecode(s: string, plusIsSpace: boolean): PercentDecoded {
  result.trick = false;
  let out = '';
  let plain = 0;
  // Only when it holds something: setting an array's length is a runtime call even when it is 0.
  if (bytes.length !== 0) bytes.length = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const h1 = hex(s.charCodeAt(i + 1));
      const h2 = hex(s.charCodeAt(i + 2));
      if (h1 >= 0 && h2 >= 0) {
        if (bytes.length === 0) out += s.slice(plain, i);
        bytes.push(h1 * 16 + h2);
        i += 2;
        plain = i + 1;
        continue;
      }
      if ((s.charCodeAt(i + 1) | 0x20) === 0x75) {
        const u = hex4(s, i + 2);
        if (u >= 0) {
          out += bytes.length === 0 ? s.slice(plain, i) : flush();
          out += String.fromCharCode(u);
          result.trick = true;
          i += 5;
          plain = i + 1;
          continue;
        }
      }
    }
    if (bytes.length > 0) {
      out += flush();
      plain = i;
    }
    if (c === 0x2b && plusIsSpace) {
      out += s.slice(plain, i) + ' ';
      plain = i + 1;
    }
  }
  if (bytes.length > 0) out += flush();
  else out += s.slice(plain);
  result.text = out;
  return result;
}

/** The pending bytes as UTF-8, overlong forms accepted (and noted), anything else invalid as U+FFFD. */
function flush(): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    const need = b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
    if (need < 0 || i + need >= n) {
      out += '\ufffd';
      i++;
      continue;
    }
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const cb = bytes[i + k]!;
      if ((cb & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cb & 0x3f);
    }
    if (!ok || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += '\ufffd';
      i++;
      continue;
    }
    const shortest = cp < 0x80 ? 0 : cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
    if (shortest !== need) result.trick = true;
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  bytes.length = 0;
  return out;
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

function hex4(s: string, at: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const h = hex(s.charCodeAt(at + k));
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}
