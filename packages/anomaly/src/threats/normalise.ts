// Undoes the encodings a payload hides behind before engines judge it: percent-encoding (also
// double and triple, %uXXXX, overlong UTF-8), HTML character references, JavaScript escapes and
// NUL bytes, layer after layer until the value stops changing (bounded). Engines see each
// distinct form once: the value as sent, fully decoded, and (when asked) folded. How many layers
// it took is itself a signal: honest clients encode once.
import { decodeHtmlEntities } from './htmlEntities';
import { percentDecode } from './percentDecode';

export interface NormaliseOptions {
  /** `+` is a space in the first layer (query strings and form bodies). */
  plusIsSpace: boolean;
  /** Decoding rounds at most; each undoes one layer of every encoding. */
  maxRounds: number;
  /** Also add a folded form: SQL inline comments, shell quoting tricks and whitespace runs folded. */
  fold: boolean;
}

export interface Normalised {
  /** Distinct forms to judge, the value as sent first. */
  forms: string[];
  /** Rounds that changed the value (one for a value encoded once). */
  layers: number;
  /** Encodings no honest client sends were undone: overlong UTF-8, %uXXXX, NUL bytes. */
  tricks: boolean;
  /** Still changing after maxRounds: decoding stopped there. */
  bounded: boolean;
}

/** Characters that start some encoding; a value without any is its only form. */
function mayBeEncoded(s: string, plusIsSpace: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 || c === 0x26 || c === 0x5c || c === 0 || (c === 0x2b && plusIsSpace)) return true;
    if (c === 0x3c && s.charCodeAt(i + 1) === 0x21) return true; // <![CDATA[
  }
  return false;
}

const FULLWIDTH = /[\uff01-\uff5e]/;
const FULLWIDTH_ALL = /[\uff01-\uff5e]/g;

export function normalise(value: string, options: NormaliseOptions): Normalised {
  const out: Normalised = { forms: [value], layers: 0, tricks: false, bounded: false };
  let current = value;
  if (mayBeEncoded(value, options.plusIsSpace)) {
    let round = 0;
    let firstLayer = value;
    for (; round < options.maxRounds; round++) {
      const next = decodeLayer(current, options.plusIsSpace && round === 0, out);
      if (next === current) break;
      current = next;
      if (round === 0) firstLayer = current;
      out.layers++;
    }
    if (round === options.maxRounds && decodeLayer(current, false, out) !== current) out.bounded = true;
    // What the application itself reads (one layer) is judged too when more layers follow: a URL
    // whose path holds %0D%0A is an internal URL, and decoding its CRLF too makes it look like prose.
    if (current !== value) out.forms.push(current);
    if (out.layers > 1) out.forms.push(firstLayer);
  }
  // ＜script＞: servers that map Unicode to their code page by best fit (IIS, ASP.NET, some JVMs)
  // read fullwidth forms as ASCII. Japanese text uses them honestly, so this is no trick.
  if (FULLWIDTH.test(current)) {
    const ascii = current.replace(FULLWIDTH_ALL, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    if (!out.forms.includes(ascii)) out.forms.push(ascii);
  }
  if (options.fold) {
    const folded = fold(current);
    if (folded !== current && folded !== value) out.forms.push(folded);
  }
  return out;
}

/** One layer of every encoding, in the order servers peel them: URL, then markup, then script escapes. */
function decodeLayer(s: string, plusIsSpace: boolean, notes: Normalised): string {
  let t = s;
  if (t.includes('%') || (plusIsSpace && t.includes('+'))) {
    const d = percentDecode(t, plusIsSpace);
    if (d.trick) notes.tricks = true;
    t = d.text;
  }
  if (t.includes('&')) t = decodeHtmlEntities(t);
  // <![CDATA[<]]>SCRIPT: XML hands on a CDATA section's text as if it were written plainly.
  if (t.includes('<![CDATA[')) t = unwrapCdata(t);
  if (t.includes('\\')) t = decodeJsEscapes(t);
  if (t.includes('\0')) {
    t = t.replace(/\0/g, '');
    notes.tricks = true;
  }
  return t;
}

/**
 * Drops the `<![CDATA[` and `]]>` around each section, in one pass: a hostile value of many
 * openers and no closer costs one scan, not one per opener.
 */
function unwrapCdata(s: string): string {
  let out = '';
  let from = 0;
  for (let open = s.indexOf('<![CDATA['); open >= 0; open = s.indexOf('<![CDATA[', from)) {
    const close = s.indexOf(']]>', open + 9);
    if (close < 0) break;
    out += s.slice(from, open) + s.slice(open + 9, close);
    from = close + 3;
  }
  return from === 0 ? s : out + s.slice(from);
}

const JS_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]{1,6})\}|x([0-9a-fA-F]{2}))/g;

/** `\u003c`, `\u{3c}`, `\x3c` → `<`. */
export function decodeJsEscapes(s: string): string {
  return s.replace(JS_ESCAPE, (whole, u4: string | undefined, ub: string | undefined, x2: string | undefined) => {
    const code = parseInt(u4 ?? ub ?? x2!, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const INLINE_COMMENT = /\/\*[\s\S]{0,256}?\*\//g;
const EMPTY_QUOTES = /(?<=[A-Za-z0-9_/])(?:''|"")(?=[A-Za-z0-9_/])/g;
const IFS = /\$\{?IFS\}?/g;
const ESCAPED_LETTER = /(?<=[A-Za-z])\\(?=[A-Za-z])/g;
const SPACES = /[\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
const DOT_SEGMENT = /\/(?:\.\/)+/g;

/**
 * What a database or shell would make of the value: `1/**\/OR/**\/1` is `1 OR 1`,
 * `c''at` and `c\at` are cat, `${IFS}` and any whitespace run are one space, `/./` is `/`.
 */
export function fold(s: string): string {
  let t = s;
  if (t.includes('/*')) t = t.replace(INLINE_COMMENT, ' ');
  if (t.includes("''") || t.includes('""')) t = t.replace(EMPTY_QUOTES, '');
  if (t.includes('IFS')) t = t.replace(IFS, ' ');
  if (t.includes('\\')) t = t.replace(ESCAPED_LETTER, '');
  if (t.includes('/./')) t = t.replace(DOT_SEGMENT, '/');
  return t.replace(SPACES, ' ');
}
