// What the name of the field holding a value says about it: a card or SSN key raises confidence,
// an id, SKU or timestamp key rules a look-alike out, a password key makes any value a leak.
// Names are split into lower-case words at separators and camelCase humps (userSSN → user, ssn).

/** Lower-case words of a field name, plus all of them joined (for names written as one word). */
export function nameWords(name: string): { words: string[]; joined: string } {
  const words: string[] = [];
  let word = '';
  let prevLower = false;
  for (let i = 0; i < name.length && i < 96; i++) {
    const c = name.charCodeAt(i);
    const upper = c >= 0x41 && c <= 0x5a;
    const lower = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    if (!upper && !lower) {
      if (word !== '') words.push(word);
      word = '';
      prevLower = false;
      continue;
    }
    if (upper && prevLower && word !== '') {
      words.push(word);
      word = '';
    }
    word += upper ? String.fromCharCode(c + 32) : name[i];
    prevLower = lower;
  }
  if (word !== '') words.push(word);
  return { words, joined: words.join('') };
}

const ID_WORDS = new Set([
  'id', 'ids', 'uuid', 'guid', 'key', 'ref', 'reference', 'order', 'orderno', 'sku', 'part', 'model', 'item', 'product', 'code',
  'ts', 'time', 'timestamp', 'created', 'updated', 'date', 'epoch', 'nonce', 'seq', 'sequence', 'serial', 'tracking', 'invoice',
  'isbn', 'ean', 'upc', 'gtin', 'barcode', 'phone', 'tel', 'mobile', 'fax', 'zip', 'postal', 'version', 'build', 'hash', 'checksum',
  'size', 'bytes', 'count', 'total', 'amount', 'price', 'ms', 'ns', 'at', 'lat', 'lon', 'lng', 'offset', 'cursor', 'page', 'batch',
  'transaction', 'txn', 'trace', 'span', 'request', 'session', 'shipment', 'ticket', 'case', 'booking', 'confirmation',
]);

/** The name labels an identifier, a quantity or a time: numbers under it are not cards or SSNs. */
export function isIdLikeName(name: string | undefined): boolean {
  if (name === undefined) return false;
  const { words } = nameWords(name);
  const last = words[words.length - 1];
  if (last === undefined) return false;
  // The head noun decides (card_id is an id, id_card is a card); some words mark an identifier wherever they stand (invoiceNumber, partNo).
  return ID_WORDS.has(last) || words.some((w) => ID_ANYWHERE.has(w));
}

const ID_ANYWHERE = new Set([
  'order', 'invoice', 'sku', 'part', 'model', 'tracking', 'transaction', 'txn', 'shipment', 'booking', 'ticket', 'serial', 'isbn', 'ean',
  'upc', 'gtin', 'barcode', 'reference', 'ref', 'confirmation', 'uuid', 'guid', 'product', 'item', 'sequence', 'version', 'build',
]);

const CARD_WORDS = new Set(['card', 'cards', 'pan', 'cc', 'ccn', 'ccnum', 'cardno', 'cardnum', 'creditcard', 'debitcard', 'cardnumber']);

export function isCardName(name: string | undefined): boolean {
  if (name === undefined) return false;
  const { words, joined } = nameWords(name);
  return words.some((w) => CARD_WORDS.has(w)) || joined.includes('cardnumber') || joined.includes('creditcard');
}

const SSN_WORDS = new Set(['ssn', 'ssns', 'social', 'tin', 'itin', 'taxid', 'sin', 'ss']);

export function isSsnName(name: string | undefined): boolean {
  if (name === undefined) return false;
  const { words, joined } = nameWords(name);
  return words.some((w) => SSN_WORDS.has(w)) || joined.includes('socialsecurity') || joined.includes('taxid') || joined.includes('nationalid');
}

const PHONE_WORDS = new Set(['phone', 'phones', 'tel', 'telephone', 'mobile', 'cell', 'msisdn', 'fax', 'whatsapp', 'sms']);

export function isPhoneName(name: string | undefined): boolean {
  if (name === undefined) return false;
  const { words, joined } = nameWords(name);
  return words.some((w) => PHONE_WORDS.has(w)) || joined.includes('phone');
}

/** Words after a password word that make the field describe the password rather than hold it. */
const PASSWORD_META = new Set([
  'hint', 'question', 'policy', 'policies', 'url', 'uri', 'link', 'changed', 'updated', 'expires', 'expired', 'expiry', 'expiration',
  'at', 'date', 'time', 'length', 'len', 'strength', 'required', 'enabled', 'set', 'rule', 'rules', 'label', 'placeholder', 'field',
  'type', 'format', 'status', 'age', 'count', 'min', 'max', 'history', 'reset', 'last', 'algorithm', 'algo', 'scheme', 'version',
  'protected', 'manager', 'less', 'score', 'valid', 'error', 'errors', 'message', 'name', 'id', 'ttl',
]);

/** The name holds a password or shared secret (password, passwd, pwd, passphrase, secret, passwordHash). */
export function isPasswordName(name: string | undefined): boolean {
  if (name === undefined || name.length > 64) return false;
  const { words, joined } = nameWords(name);
  const holds =
    joined.includes('password') || joined.includes('passwd') || joined.includes('passphrase') || words.includes('pwd') || words.includes('pass') ||
    words.includes('secret') || joined.endsWith('secret');
  if (!holds) return false;
  return !words.some((w) => PASSWORD_META.has(w));
}

/** Which kind a field capture redacted (its value is a keyed hash) stands for, judged by its name alone. */
export function redactedFieldKind(name: string | undefined): 'password_field' | 'ssn' | 'card' | 'private_key' | undefined {
  if (name === undefined) return undefined;
  if (isPasswordName(name)) return 'password_field';
  const { words, joined } = nameWords(name);
  if (words.includes('ssn') || joined.includes('socialsecurity')) return 'ssn';
  if (joined.includes('cardnumber') || joined.includes('creditcard') || words.includes('pan') || words.includes('cvv') || words.includes('cvc') || words.includes('cvv2') || words.includes('cvc2')) return 'card';
  if (joined.includes('privatekey')) return 'private_key';
  // Tokens, API keys and one-time codes are what login, refresh and key-issuing endpoints exist to return.
  return undefined;
}

/**
 * The name of a field as it may appear in a finding: a key that is itself data (long, digit-heavy,
 * an address) is shown as `*`, so a finding never quotes a value through its path.
 */
export function safeFieldName(name: string): string {
  if (name.length === 0 || name.length > 48) return '*';
  let digits = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d || c === 0x20 || c === 0x24)) return '*';
  }
  return digits >= 4 ? '*' : name;
}

function isKeyChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d || c === 0x2e;
}

/**
 * The field name written just before offset `at` in free text: `"ssn": "`, `ssn=`, `<ssn>`,
 * `SSN: `, `Social Security Number 123-...`. Undefined when nothing names the value.
 */
export function nameBefore(text: string, at: number, from = 0): string | undefined {
  let j = at - 1;
  const stop = Math.max(from, at - 80);
  // The value's own opening quote, then spacing.
  while (j >= stop && (text.charCodeAt(j) === 0x22 || text.charCodeAt(j) === 0x27 || text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x23)) j--;
  if (j < stop) return undefined;
  const c = text.charCodeAt(j);
  if (c === 0x3e) {
    // <name attr="...">value: the element name.
    let k = j - 1;
    while (k >= stop && text.charCodeAt(k) !== 0x3c && text.charCodeAt(k) !== 0x3e) k--;
    if (k < stop || text.charCodeAt(k) !== 0x3c) return undefined;
    let end = k + 1;
    while (end < j && isKeyChar(text.charCodeAt(end))) end++;
    return end > k + 1 ? text.slice(k + 1, end) : undefined;
  }
  if (c === 0x3a || c === 0x3d) {
    j--;
    while (j >= stop && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x22 || text.charCodeAt(j) === 0x27)) j--;
  }
  // Words, possibly several ("Social Security Number"), back to punctuation.
  const end = j + 1;
  while (j >= stop && (isKeyChar(text.charCodeAt(j)) || text.charCodeAt(j) === 0x20)) j--;
  const name = text.slice(j + 1, end).trim();
  // Digits and spaces before a value are more of the number, not its name.
  return name.length > 0 && name.length <= 48 && /[A-Za-z]/.test(name) ? name : undefined;
}
