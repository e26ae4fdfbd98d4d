/**
 * Encodings that hide markup from a first look but that a page undoes before the browser parses
 * the result: JavaScript string escapes (`\x3cimg ...\x3e` written into the DOM by script).
 * UTF-7 lives in ../utf7.ts, shared with the XXE detector. Returns the decoded value, or
 * undefined when the value holds no such encoding of a markup character.
 */

const HEX = /\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]{1,6})\})/g;
// Escapes of `<`, `>`, `"`, `'`, `:`, `=`, `(`: the characters markup, URLs and calls are made of.
const MARKUP_ESCAPE = /\\(?:x(?:3[aAcCdDeE]|2[278])|u00(?:3[aAcCdDeE]|2[278])|u\{(?:3[aAcCdDeE]|2[278])\})/;

export function decodeJsEscapes(s: string): string | undefined {
  if (!MARKUP_ESCAPE.test(s)) return undefined;
  return s.replace(HEX, (_, x: string | undefined, u: string | undefined, b: string | undefined) => {
    const code = parseInt(x ?? u ?? b ?? '0', 16);
    return code > 0x10ffff ? '\ufffd' : String.fromCodePoint(code);
  });
}
