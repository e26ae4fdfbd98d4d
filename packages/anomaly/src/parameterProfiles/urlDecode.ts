// Percent-decoding that never throws: query strings and form bodies come from attackers, and a
// malformed escape (`%zz`, a lone `%`, a broken UTF-8 sequence) must still yield a value to judge.

/**
 * Decodes `%XX` escapes (and `+` as space when `plusIsSpace`). A malformed escape is kept as
 * written, and bytes that are not valid UTF-8 become U+FFFD, which the shape model can see.
 */
export function urlDecode(raw: string, plusIsSpace: boolean): string {
  const hasPlus = plusIsSpace && raw.includes('+');
  if (!hasPlus && !raw.includes('%')) return raw;
  const spaced = hasPlus ? raw.replace(/\+/g, ' ') : raw;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return decodeLeniently(spaced);
  }
}

/** The slow path, only for strings decodeURIComponent refuses. */
function decodeLeniently(s: string): string {
  const bytes: number[] = [];
  let out = '';
  const flush = (): void => {
    if (bytes.length === 0) return;
    out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && i + 2 < s.length && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
      continue;
    }
    flush();
    out += s[i];
  }
  flush();
  return out;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
