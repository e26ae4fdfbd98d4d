// Recognises the keyed hashes capture puts in place of secrets (`h:` and 22 base64url
// characters), so a hashed password or token is never learned, scored or quoted.

const HASH_LENGTH = 24;

/** True when the whole value is a redaction hash. */
export function isHashedSecret(value: string): boolean {
  if (value.length !== HASH_LENGTH || value.charCodeAt(0) !== 0x68 || value.charCodeAt(1) !== 0x3a) return false;
  for (let i = 2; i < HASH_LENGTH; i++) if (!isBase64Url(value.charCodeAt(i))) return false;
  return true;
}

/**
 * True when a redaction hash appears anywhere in the value (`Bearer h:...`, `sid=h:...`): `h:`
 * and 22 base64url characters, with no base64url character just before or after. Every header
 * and cookie value of every request is asked, so each `h:` is checked in place rather than by a
 * regular expression.
 */
export function containsHashedSecret(value: string): boolean {
  const last = value.length - HASH_LENGTH;
  for (let at = value.indexOf('h:'); at >= 0 && at <= last; at = value.indexOf('h:', at + 1)) {
    if (at > 0 && isBase64Url(value.charCodeAt(at - 1))) continue;
    if (at < last && isBase64Url(value.charCodeAt(at + HASH_LENGTH))) continue;
    let i = at + 2;
    while (i < at + HASH_LENGTH && isBase64Url(value.charCodeAt(i))) i++;
    if (i === at + HASH_LENGTH) return true;
  }
  return false;
}

function isBase64Url(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f;
}
