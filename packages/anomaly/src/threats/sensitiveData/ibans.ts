// IBANs in electronic (DE89370400440532013000) or printed (DE89 3704 0044 0532 0130 00) form:
// a country with a registered length, then exactly that many characters and a valid mod-97 check.
import { IBAN_LENGTHS, ibanValid } from './ibanCheck';
import { maskIban } from './masking';
import type { ScanContext } from './scanContext';

const START = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?=[ A-Z0-9])/g;

function isUpperAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
}

function isAlnum(c: number): boolean {
  return isUpperAlnum(c) || (c >= 0x61 && c <= 0x7a);
}

export function scanIbans(ctx: ScanContext): void {
  const text = ctx.text;
  START.lastIndex = 0;
  let m: RegExpExecArray | null;
  // Bounded like every family: a hostile body of country codes costs at most this many reads.
  for (let seen = 0; seen < 5_000 && (m = START.exec(text)) !== null; seen++) {
    const at = m.index;
    const length = IBAN_LENGTHS[text.slice(at, at + 2)];
    if (length === undefined) continue;
    let compact = '';
    let k = at;
    while (k < text.length && compact.length < length) {
      const c = text.charCodeAt(k);
      if (isUpperAlnum(c)) {
        compact += text[k];
        k++;
      } else if (c === 0x20 && compact.length % 4 === 0 && k + 1 < text.length && isUpperAlnum(text.charCodeAt(k + 1))) {
        k++;
      } else break;
    }
    if (compact.length !== length || (k < text.length && isAlnum(text.charCodeAt(k)))) continue;
    if (!ibanValid(compact)) continue;
    ctx.add('iban', ctx.fieldAt(at).field, compact, maskIban(compact), 0.9);
    START.lastIndex = k;
  }
}
