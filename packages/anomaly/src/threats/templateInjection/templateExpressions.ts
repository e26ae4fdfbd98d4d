// Finds template expression bodies in a value, for every engine family's delimiters, and reads
// the identifiers and string literals inside one so the judge can weigh them.

export type Delimiter = '{{' | '{%' | '${' | '#{' | '*{' | '@{' | '~{' | '%{' | '<%' | '<#' | '[#' | '[=' | '[[' | '{' | '#set' | '@php' | '$ref' | '@ref' | '@(';

export interface Expression {
  delimiter: Delimiter;
  start: number;
  end: number;
  body: string;
}

const MAX_BODY = 400;
/** Delimiters whose bodies are searched again for expressions nested inside them. */
const OPEN_BODIES: ReadonlySet<Delimiter> = new Set<Delimiter>(['{', '$ref', '@ref', '[[', '@{', '~{']);
const MAX_EXPRESSIONS = 16;

/** Every template expression in `s`, outermost first, at most 16. */
export function findExpressions(s: string): Expression[] {
  const out: Expression[] = [];
  const len = s.length;
  for (let i = 0; i < len && out.length < MAX_EXPRESSIONS; i++) {
    const c = s.charCodeAt(i);
    const n = s.charCodeAt(i + 1);
    let e: Expression | undefined;
    if (c === 0x7b) {
      if (n === 0x7b) e = closeWith(s, i, 2, '}}', '{{');
      else if (n === 0x25) e = closeWith(s, i, 2, '%}', '{%');
      else e = balanced(s, i, 1, '{');
    } else if (n === 0x7b && (c === 0x24 || c === 0x23 || c === 0x2a || c === 0x40 || c === 0x7e || c === 0x25)) {
      e = balanced(s, i, 2, (String.fromCharCode(c) + '{') as Delimiter);
    } else if (c === 0x3c && n === 0x25) e = closeWith(s, i, 2, '%>', '<%');
    else if (c === 0x3c && n === 0x23) e = closeWith(s, i, 2, '>', '<#');
    else if (c === 0x5b && n === 0x23) e = closeWith(s, i, 2, ']', '[#');
    else if (c === 0x5b && n === 0x3d) e = balancedPair(s, i, 2, '[=', 0x5b, 0x5d); // FreeMarker's square-bracket ${...}
    else if (c === 0x5b && n === 0x5b) e = closeWith(s, i, 2, ']]', '[['); // Thymeleaf's and Angular's alternative inline output
    else if (c === 0x40 && n === 0x28) e = balancedPair(s, i, 2, '@(', 0x28, 0x29);
    else if (c === 0x23 && (n | 0x20) === 0x73 && s.substr(i, 5).toLowerCase() === '#set(') e = balancedPair(s, i, 5, '#set', 0x28, 0x29);
    else if (c === 0x40 && n === 0x70 && s.startsWith('@php', i) && !isWordChar(s.charCodeAt(i + 4))) e = closeWith(s, i, 4, '@endphp', '@php'); // Blade
    else if (c === 0x24 && isIdentStart(n)) e = reference(s, i, '$ref');
    else if (c === 0x40 && isIdentStart(n) && (i === 0 || !isWordChar(s.charCodeAt(i - 1)))) e = reference(s, i, '@ref'); // not an e-mail
    if (e === undefined) continue;
    out.push(e);
    // Skip past the body for wide delimiters; `{`, `$x`, `[[...]]` and Thymeleaf's link and
    // fragment bodies may hold others worth reading (`@{${7*7}}`, `[[${...}]]`).
    if (!OPEN_BODIES.has(e.delimiter)) i = Math.max(i, e.end - 1);
  }
  return out;
}

function closeWith(s: string, i: number, open: number, close: string, delimiter: Delimiter): Expression {
  const at = s.indexOf(close, i + open);
  const end = at < 0 ? Math.min(s.length, i + open + MAX_BODY) : at + close.length;
  const body = s.slice(i + open, at < 0 ? end : at).slice(0, MAX_BODY);
  return { delimiter, start: i, end, body };
}

/** A `{`-delimited body with nested braces and quoted strings skipped. */
function balanced(s: string, i: number, open: number, delimiter: Delimiter): Expression {
  let depth = 1;
  let k = i + open;
  const limit = Math.min(s.length, k + MAX_BODY);
  for (; k < limit; k++) {
    const c = s.charCodeAt(k);
    if (c === 0x22 || c === 0x27) {
      const q = s.indexOf(String.fromCharCode(c), k + 1);
      if (q > 0 && q < limit) k = q;
      continue;
    }
    if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return { delimiter, start: i, end: k + 1, body: s.slice(i + open, k) };
  }
  return { delimiter, start: i, end: k, body: s.slice(i + open, k) };
}

/** A body closed by `closer`, with nested opener/closer pairs balanced: `@(a(b))`, `[=a[0]]`. */
function balancedPair(s: string, i: number, open: number, delimiter: Delimiter, opener: number, closer: number): Expression {
  let depth = 1;
  let k = i + open;
  const limit = Math.min(s.length, k + MAX_BODY);
  for (; k < limit; k++) {
    const c = s.charCodeAt(k);
    if (c === opener) depth++;
    else if (c === closer && --depth === 0) return { delimiter, start: i, end: k + 1, body: s.slice(i + open, k) };
  }
  return { delimiter, start: i, end: k, body: s.slice(i + open, k) };
}

/** .NET classes whose static members describe the server: `@Environment.UserName`, `@System.IO.File`. */
export const DOTNET_STATIC = /^(?:Environment|AppDomain|System\.(?:Environment|IO|Diagnostics|AppDomain))\./;
/** `@DateTime.Now`: a Razor expression whose output only shows that the value was evaluated. */
export const RAZOR_PROBE = /^DateTime\.(?:Now|UtcNow|Today)$/;

/** A Velocity-style reference `$name.member(...)...` without braces. */
function reference(s: string, i: number, delimiter: '$ref' | '@ref'): Expression | undefined {
  let k = i + 1;
  let depth = 0;
  const limit = Math.min(s.length, i + MAX_BODY);
  for (; k < limit; k++) {
    const c = s.charCodeAt(k);
    if (c === 0x28 || c === 0x5b) depth++;
    else if (c === 0x29 || c === 0x5d) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && !(isIdentStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e)) break;
  }
  const body = s.slice(i + 1, k);
  // Only a member walk that calls something ($a.b.c()) is worth judging; $user.name is a placeholder.
  // Razor's .NET statics are the exception: @Environment.MachineName reads the server without a call.
  if (body.indexOf('.') < 0 || (body.indexOf('(') < 0 && !(delimiter === '@ref' && (DOTNET_STATIC.test(body) || RAZOR_PROBE.test(body))))) return undefined;
  return { delimiter, start: i, end: k, body };
}

function isWordChar(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d;
}

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

/** Identifiers, dotted members and string-literal contents of a body (escapes undone, `+`/`~` concatenations joined). */
export function readBody(body: string): { names: string[]; strings: string[]; joined: string } {
  const names: string[] = [];
  const strings: string[] = [];
  let joined = '';
  const len = body.length;
  let lastWasString = false;
  let pendingConcat = false;
  for (let i = 0; i < len; i++) {
    const c = body.charCodeAt(i);
    if (c === 0x22 || c === 0x27 || c === 0x60) {
      let k = i + 1;
      let text = '';
      while (k < len && body.charCodeAt(k) !== c) {
        if (body.charCodeAt(k) === 0x5c && k + 1 < len) {
          const [ch, used] = unescape(body, k);
          text += ch;
          k += used;
          continue;
        }
        text += body[k];
        k++;
      }
      strings.push(text);
      joined = lastWasString && pendingConcat ? joined + text : text;
      if (lastWasString && pendingConcat) strings.push(joined);
      lastWasString = true;
      pendingConcat = false;
      i = k;
      continue;
    }
    if (c === 0x2b || c === 0x7e) {
      pendingConcat = true;
      continue;
    }
    if (isIdentStart(c)) {
      let k = i + 1;
      while (k < len && (isIdentStart(body.charCodeAt(k)) || (body.charCodeAt(k) >= 0x30 && body.charCodeAt(k) <= 0x39))) k++;
      names.push(body.slice(i, k));
      i = k - 1;
      lastWasString = false;
      continue;
    }
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a) {
      if (c !== 0x2e && c !== 0x28 && c !== 0x29) lastWasString = false;
    }
  }
  return { names, strings, joined };
}

function unescape(s: string, k: number): [string, number] {
  const n = s[k + 1] ?? '';
  if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(s.substr(k + 2, 2))) return [String.fromCharCode(parseInt(s.substr(k + 2, 2), 16)), 4];
  if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(s.substr(k + 2, 4))) return [String.fromCharCode(parseInt(s.substr(k + 2, 4), 16)), 6];
  if (/[0-7]/.test(n) && /^[0-7]{3}$/.test(s.substr(k + 1, 3))) return [String.fromCharCode(parseInt(s.substr(k + 1, 3), 8)), 4];
  return [n, 2];
}
