// Recognises the keyed hashes capture puts in place of secrets (`h:` and 22 base64url
// characters), so a hashed password or token is never learned, scored or quoted.

const HASH_LENGTH = 24;

/** True when the whole value is a redaction hash. */
export function isHashedSecret(value: string): boolean {
  if (value.length !== HASH_LENGTH || value.charCodeAt(0) !== 0x68 || value.charCodeAt(1) !== 0x3a) return false;
  for (let i = 2; i < HASH_LENGTH; i++) if (!isBase64Url(value.charCodeAt(i))) return false;
  return true;
}

const EMBEDDED_HASH = /(?:^|[^A-Za-z0-9_-])h:[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])/;

/** True when a redaction hash appears anywhere in the value (`Bearer h:...`, `sid=h:...`). */
export function containsHashedSecret(value: string): boolean {
  return value.includes('h:') && EMBEDDED_HASH.test(value);
}

function isBase64Url(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f;
}
