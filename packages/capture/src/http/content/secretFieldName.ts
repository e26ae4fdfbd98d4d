// Whether a JSON key, form field or multipart part name holds a secret (a password, token, key,
// one-time code or card data), wherever the tell-tale word sits: `user[password]`,
// `new_password`, `clientSecret`, `X-Api-Key`.

/** Matched anywhere in the name with separators removed. */
const SECRET_SUBSTRINGS = ['password', 'passwd', 'passphrase', 'secret', 'apikey', 'cardnumber', 'creditcard', 'privatekey'];

/** Matched only as a whole word, since they are common inside other words (shipping, compass). */
const SECRET_WORDS = new Set(['pwd', 'pass', 'otp', 'pin', 'cvv', 'cvv2', 'cvc', 'cvc2', 'ssn', 'token']);

/** Names are short; anything longer is data, not a field name. */
const MAX_NAME_LENGTH = 256;

/** Secret when a secret word appears in the name (case-insensitive, camelCase and separators split words). */
export function isSecretFieldName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  let joined = '';
  let word = '';
  let prevLower = false;
  let found = false;
  const endWord = (): void => {
    if (word === '') return;
    if (SECRET_WORDS.has(word)) found = true;
    joined += word;
    word = '';
  };
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const upper = c >= 0x41 && c <= 0x5a;
    const lower = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    if (!upper && !lower) {
      endWord();
      prevLower = false;
      continue;
    }
    if (upper && prevLower) endWord();
    word += upper ? String.fromCharCode(c + 32) : name[i];
    prevLower = lower;
  }
  endWord();
  if (found) return true;
  // accesstoken, authtoken, x_csrftoken: a token named without a separator.
  if (joined.endsWith('token')) return true;
  for (const s of SECRET_SUBSTRINGS) if (joined.includes(s)) return true;
  return false;
}

/** Any of the fragments a secret field name must contain, matched in one case-insensitive pass. */
const SECRET_FRAGMENTS = /pass|pwd|secret|token|key|otp|pin|cv|ssn|card/i;

/** Cheap pre-check: false means no field name in `text` can be secret, so parsing can be skipped. */
export function mayContainSecretName(text: string): boolean {
  return SECRET_FRAGMENTS.test(text);
}
