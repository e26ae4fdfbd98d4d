/**
 * Encodings that hide markup from a first look but that a page undoes before the browser parses
 * the result: JavaScript string escapes (`\x3cimg ...\x3e` written into the DOM by script) and
 * UTF-7 (`+ADw-script+AD4-` on a page whose charset an attacker controls). Each returns the
 * decoded value, or undefined when the value holds no such encoding of a markup character.
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

const UTF7_RUN = /\+([A-Za-z0-9+/]+)-?/g;
// `+ADw-` is `<`, `+AD4-` is `>`, `+ACI-` is `"`, `+ACc-` is `'`.
const UTF7_MARKUP = /\+AD[w4]-?|\+AC[Ic]-?/;

export function decodeUtf7(s: string): string | undefined {
  if (!UTF7_MARKUP.test(s)) return undefined;
  return s.replace(UTF7_RUN, (_, run: string) => {
    const bytes = Buffer.from(run, 'base64');
    let out = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
    return out;
  });
}
