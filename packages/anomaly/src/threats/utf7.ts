/**
 * UTF-7 (RFC 2152), the encoding that hides markup from a first look: `+ADw-script+AD4-` on a
 * page whose charset an attacker controls, or an XML document that declares encoding="UTF-7"
 * and spells its DOCTYPE `+ADwAIQ-DOCTYPE`. Returns the decoded value, or undefined when the
 * value holds no UTF-7 run that encodes a markup character.
 */

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
