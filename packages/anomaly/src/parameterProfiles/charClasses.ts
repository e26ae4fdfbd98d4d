// The character features of the shape model: ten classes (letters, digits, whitespace, controls,
// non-ASCII letters and symbols, invalid UTF-8) plus each of the 32 ASCII punctuation characters
// on its own, since one `'` or `<` is what separates an injection from a name.

export const CLASS_NAMES = [
  'lower-case letters',
  'upper-case letters',
  'digits',
  'spaces',
  'tabs or line breaks',
  'control characters',
  'non-ASCII letters',
  'non-ASCII symbols',
  'C1 control characters',
  'invalid UTF-8 (U+FFFD)',
] as const;

export const CLASS_LOWER = 1 << 0;
export const CLASS_UPPER = 1 << 1;
export const CLASS_DIGIT = 1 << 2;
export const CLASS_SPACE = 1 << 3;
export const CLASS_BREAK = 1 << 4;
export const CLASS_CONTROL = 1 << 5;
export const CLASS_LETTER_OTHER = 1 << 6;
export const CLASS_SYMBOL_OTHER = 1 << 7;
export const CLASS_C1 = 1 << 8;
export const CLASS_INVALID = 1 << 9;

/** Short stable names of the classes, as keys of an exported model. */
export const CLASS_KEYS = ['lower', 'upper', 'digit', 'space', 'break', 'control', 'letter_other', 'symbol_other', 'c1', 'invalid'] as const;

/** The ASCII punctuation characters, each a feature of its own (bit i of the punctuation mask). */
export const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** Feature count: classes then punctuation; feature i < CLASS_COUNT is class bit i. */
export const CLASS_COUNT = CLASS_NAMES.length;
export const FEATURE_COUNT = CLASS_COUNT + PUNCTUATION.length;

/** ASCII code → class bit, or 0 for punctuation. */
export const ASCII_CLASS = new Uint16Array(128);
/** ASCII code → its bit in the punctuation mask, or 0 (two tables so the hot loop needs no branch). */
export const ASCII_PUNCT = new Int32Array(128);

for (let c = 0; c < 128; c++) {
  if (c >= 0x61 && c <= 0x7a) ASCII_CLASS[c] = CLASS_LOWER;
  else if (c >= 0x41 && c <= 0x5a) ASCII_CLASS[c] = CLASS_UPPER;
  else if (c >= 0x30 && c <= 0x39) ASCII_CLASS[c] = CLASS_DIGIT;
  else if (c === 0x20) ASCII_CLASS[c] = CLASS_SPACE;
  else if (c === 0x09 || c === 0x0a || c === 0x0d) ASCII_CLASS[c] = CLASS_BREAK;
  else if (c < 0x20 || c === 0x7f) ASCII_CLASS[c] = CLASS_CONTROL;
}
for (let i = 0; i < PUNCTUATION.length; i++) ASCII_PUNCT[PUNCTUATION.charCodeAt(i)] = 1 << i;

/** Class bit of a UTF-16 code unit at or above 0x80. */
export function nonAsciiClass(c: number): number {
  if (c === 0xfffd) return CLASS_INVALID;
  if (c < 0xa0) return CLASS_C1;
  return isLetterOfCommonScript(c) ? CLASS_LETTER_OTHER : CLASS_SYMBOL_OTHER;
}

/**
 * Letters and combining marks of the common scripts (Latin, Greek, Cyrillic, Armenian, Hebrew,
 * Arabic, Indic, Thai, Georgian, Hangul, kana, CJK). Ranges, not a Unicode property lookup,
 * because this runs per character on the hot path; the rest counts as a symbol.
 */
function isLetterOfCommonScript(c: number): boolean {
  if (c < 0x2b0) return c >= 0xc0 && c !== 0xd7 && c !== 0xf7;
  if (c < 0x300) return false; // spacing modifier letters are mostly typographic
  if (c < 0x1000) return true; // combining marks, Greek, Cyrillic, ... through Myanmar
  if (c < 0x1200) return c >= 0x10a0; // Georgian, Hangul Jamo
  if (c >= 0x1e00 && c < 0x2000) return true; // Latin and Greek extended
  if (c >= 0x3040 && c < 0x3100) return true; // kana
  if (c >= 0x3400 && c < 0xa000) return true; // CJK
  if (c >= 0xac00 && c < 0xd7b0) return true; // Hangul syllables
  if (c >= 0xf900 && c < 0xfb00) return true; // CJK compatibility
  return (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a); // full-width Latin
}

/** Model key of feature i: a class key, or the punctuation character itself. */
export function featureKey(i: number): string {
  if (i < CLASS_COUNT) return CLASS_KEYS[i] ?? `class${i}`;
  return PUNCTUATION[i - CLASS_COUNT] ?? '?';
}

/** Every feature key, in feature order. */
export const FEATURE_KEYS: readonly string[] = Array.from({ length: CLASS_KEYS.length + PUNCTUATION.length }, (_, i) => featureKey(i));

/** Human name of feature i, for reasons and summaries. */
export function featureName(i: number): string {
  if (i < CLASS_COUNT) return CLASS_NAMES[i] ?? `class ${i}`;
  return `'${PUNCTUATION[i - CLASS_COUNT] ?? '?'}'`;
}
