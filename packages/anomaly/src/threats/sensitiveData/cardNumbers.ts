// Whether a run of digits is a payment card number: a length its issuer uses, a known issuer
// (IIN) range and a valid Luhn check digit. The IIN table is what turns away most ids and
// timestamps that happen to pass Luhn (one in ten does): they start with digits no card network owns.

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay';

/** Luhn (mod 10) over a string of ASCII digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 0x30;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function prefixIn(digits: string, length: number, from: number, to: number): boolean {
  const p = Number(digits.slice(0, length));
  return p >= from && p <= to;
}

/** The card network whose IIN range and lengths `digits` fit, or undefined. */
export function cardBrand(digits: string): CardBrand | undefined {
  const n = digits.length;
  if (n < 13 || n > 19) return undefined;
  const d1 = digits.charCodeAt(0) - 0x30;
  if (d1 === 4) return n === 13 || n === 16 || n === 19 ? 'visa' : undefined;
  if (d1 === 5) return n === 16 && prefixIn(digits, 2, 51, 55) ? 'mastercard' : undefined;
  if (d1 === 2) return n === 16 && prefixIn(digits, 4, 2221, 2720) ? 'mastercard' : undefined;
  if (d1 === 3) {
    if (prefixIn(digits, 2, 34, 34) || prefixIn(digits, 2, 37, 37)) return n === 15 ? 'amex' : undefined;
    if (prefixIn(digits, 4, 3528, 3589)) return n >= 16 ? 'jcb' : undefined;
    if (prefixIn(digits, 3, 300, 305) || prefixIn(digits, 4, 3095, 3095) || prefixIn(digits, 2, 36, 36) || prefixIn(digits, 2, 38, 39)) return n >= 14 ? 'diners' : undefined;
    return undefined;
  }
  if (d1 === 6) {
    if (n < 16) return undefined;
    if (digits.startsWith('6011') || digits.startsWith('65') || prefixIn(digits, 3, 644, 649) || prefixIn(digits, 6, 622126, 622925)) return 'discover';
    if (digits.startsWith('62')) return 'unionpay';
    return undefined;
  }
  return undefined;
}

/** Group lengths a printed card number takes: 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4. */
export function cardGrouping(groups: readonly number[]): boolean {
  const k = groups.length;
  if (k === 1) return true;
  if (k === 3 && groups[0] === 4 && groups[1] === 6 && (groups[2] === 5 || groups[2] === 4)) return true;
  for (let i = 0; i < k - 1; i++) if (groups[i] !== 4) return false;
  const last = groups[k - 1] as number;
  return (k === 4 && last >= 1 && last <= 4) || (k === 5 && last >= 1 && last <= 3);
}
