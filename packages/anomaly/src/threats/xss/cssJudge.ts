/**
 * Judges CSS from a `style` attribute or a `<style>` block for constructs that run script or pull
 * in behaviour: IE `expression()`, `url(javascript:...)`, `behavior:`, `-moz-binding`, `@import`.
 * CSS escapes (`\65 xpression`) and comments (`exp/**\/ression`) are undone first, as the CSS
 * parser would.
 */

const MAX_CSS = 2048;

/** CSS constructs that execute or import, in the order they are looked for. */
const MARKERS: ReadonlyArray<readonly [marker: string, construct: string]> = [
  ['expression(', 'expression'],
  ['javascript:', 'url-javascript'],
  ['vbscript:', 'url-vbscript'],
  ['behavior:', 'behavior'],
  ['-moz-binding', 'moz-binding'],
  ['data:text/html', 'url-data-html'],
];

/**
 * The dangerous construct in `css`, or undefined. `imports` also counts `@import`, which only a
 * `<style>` block can hold.
 */
export function judgeCss(css: string, imports: boolean): string | undefined {
  const flat = flattenCss(css);
  for (const [marker, construct] of MARKERS) if (flat.includes(marker)) return construct;
  if (imports && flat.includes('@import')) return 'import';
  return undefined;
}

/** Lowercased CSS with escapes decoded and comments, whitespace and quotes removed. */
export function flattenCss(css: string): string {
  let out = '';
  const end = Math.min(css.length, MAX_CSS);
  let i = 0;
  let inString = 0;
  while (i < end) {
    const c = css.charCodeAt(i);
    if (inString === 0 && c === 47 /* / */ && css.charCodeAt(i + 1) === 42 /* * */) {
      const close = css.indexOf('*/', i + 2);
      i = close < 0 ? end : close + 2;
      continue;
    }
    if (c === 92 /* \ */) {
      i = readEscape(css, i + 1, end);
      if (escaped >= 0) out += String.fromCodePoint(escaped).toLowerCase();
      continue;
    }
    i++;
    if (c === 34 || c === 39) {
      // A string: its contents count (`url("javascript:...")`), but `/*` inside it is no comment.
      inString = inString === c ? 0 : inString === 0 ? c : inString;
      continue;
    }
    if (c <= 0x20) continue;
    out += c >= 65 && c <= 90 ? String.fromCharCode(c | 0x20) : css.charAt(i - 1);
  }
  return out;
}

let escaped = -1;

/** Reads a CSS escape body starting at `i`; leaves its code point in `escaped` (-1 for none). */
function readEscape(css: string, i: number, end: number): number {
  let value = 0;
  let digits = 0;
  while (i < end && digits < 6) {
    const c = css.charCodeAt(i) | 0x20;
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) break;
    value = value * 16 + d;
    digits++;
    i++;
  }
  if (digits > 0) {
    if (i < end && css.charCodeAt(i) <= 0x20) i++;
    escaped = value === 0 || value > 0x10ffff ? 0xfffd : value;
    return i;
  }
  if (i >= end) {
    escaped = -1;
    return end;
  }
  const c = css.charCodeAt(i);
  // An escaped newline is a line continuation and stands for nothing.
  escaped = c === 10 || c === 13 || c === 12 ? -1 : c;
  return i + 1;
}
