// Which request cookies may hold a credential. Cookie values are hashed unless they plainly are
// not secrets, so injections in ordinary cookies (a theme, a language, a tracking preference)
// stay visible to the request-threat detector while session ids, tokens and anything token-like
// never leave capture raw. When in doubt, a value is a secret.

/** Fragments of cookie names that carry credentials or identity, matched in the lower-cased name. */
const SECRET_NAME_FRAGMENTS = [
  'sess', 'sid', 'token', 'auth', 'jwt', 'key', 'secret', 'csrf', 'xsrf', 'remember', 'login', 'logon', 'pass', 'pwd',
  'cred', 'sig', 'nonce', 'saml', 'oauth', 'oidc', 'ticket', 'bearer', 'access', 'refresh', 'identity', 'account',
  'user', 'uid', 'guid', 'uuid', 'mail', 'phone', 'otp', 'device', 'visitor', 'tracking', 'state', 'code',
];

/** True when a cookie's name says it may hold a credential or an identifier. */
export function isSecretCookieName(lowerName: string): boolean {
  // __Host- and __Secure- prefixes are what sites give their security cookies.
  if (lowerName.startsWith('__host-') || lowerName.startsWith('__secure-')) return true;
  // `id`, `sid`, `user_id`, `visitorId`, `PHPSESSID`: identifiers, sessions among them.
  if (lowerName === 'id' || lowerName.endsWith('id') || /(?:^|[^a-z])id(?:[^a-z]|$)/.test(lowerName)) return true;
  for (const f of SECRET_NAME_FRAGMENTS) if (lowerName.includes(f)) return true;
  return false;
}

/** Characters tokens are written in (base64, base64url, hex, JWT, signed cookies, percent-encoding). */
function isTokenChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x2d || c === 0x5f || c === 0x2e || c === 0x7e || c === 0x2b || c === 0x2f || c === 0x3d || c === 0x3a || c === 0x25
  );
}

/** A run of 20 or more letters, digits, `_`, `-` and `+` mixing letters and digits: a key or token inside other text. */
function hasEmbeddedToken(v: string): boolean {
  let run = 0;
  let letters = false;
  let digits = false;
  for (let i = 0; i <= v.length; i++) {
    const c = i < v.length ? v.charCodeAt(i) : 0;
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    const digit = c >= 0x30 && c <= 0x39;
    if (letter || digit || c === 0x5f || c === 0x2d || c === 0x2b) {
      run++;
      letters ||= letter;
      digits ||= digit;
      continue;
    }
    if (run >= 20 && letters && digits) return true;
    run = 0;
    letters = false;
    digits = false;
  }
  return false;
}

function percentDecoded(v: string): string {
  if (!v.includes('%')) return v;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/**
 * True when a cookie value may be a credential: a JWT, a token-like string (long, or mixing
 * letters and digits), or text with such a token inside. Values that plainly are not tokens
 * (short words, numbers, text with spaces, quotes, brackets or other characters no token uses, a
 * URL or a path) are not, unless a token sits inside them.
 */
export function isSecretCookieValue(raw: string): boolean {
  const v = percentDecoded(raw.length > 1 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
  if (v === '') return false;
  if (v.startsWith('eyJ') || hasEmbeddedToken(v)) return true;
  let letters = false;
  let digits = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    // Spaces, quotes, brackets, `<`, `;`, `$`, `*`, non-ASCII: text, not a token.
    if (!isTokenChar(c)) return false;
    letters ||= (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    digits ||= c >= 0x30 && c <= 0x39;
  }
  // A path or a URL is not a token (and is where traversal and SSRF payloads sit).
  if (v.includes('../') || /^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return false;
  if (v.length >= 16) return true;
  return v.length >= 10 && letters && digits;
}
