// Reads a value as SQL text, as a database would after the value was pasted into a query at a
// given quote context. Tokens land in preallocated typed arrays and words are looked up by
// offsets, so tokenizing allocates nothing per character or per token.
import { keywordFlags, keywordKw, keywordType, lookupKeyword } from './sqlKeywords';
import { Kw, TokenFlag, TokenType } from './sqlTokens';

/** Where the value sits in the query: bare (numeric), or inside '...', "..." or `...`. */
export type QuoteContext = 0 | 0x27 | 0x22 | 0x60;

/** Enough for every construct the judge reads; longer values are judged on their start. */
export const MAX_TOKENS = 96;

const SINGLE = 0x27;
const DOUBLE = 0x22;
const BACKTICK = 0x60;
const BACKSLASH = 0x5c;

export class SqlTokens {
  count = 0;
  readonly type = new Uint8Array(MAX_TOKENS);
  readonly start = new Int32Array(MAX_TOKENS);
  readonly end = new Int32Array(MAX_TOKENS);
  readonly flags = new Int32Array(MAX_TOKENS);
  readonly kw = new Uint8Array(MAX_TOKENS);
  /** Inline comments (/* ... *\/ closed before the end) the tokenizer skipped as whitespace. */
  inlineComments = 0;
  /** MySQL version comments (/*!50000 ... *\/) whose content was read as code. */
  versionComments = 0;
  text = '';
  context: QuoteContext = 0;

  typeAt(i: number): TokenType | 0 {
    return i < this.count ? (this.type[i] as TokenType) : 0;
  }

  kwAt(i: number): Kw {
    return i < this.count ? (this.kw[i] as Kw) : Kw.None;
  }

  flagsAt(i: number): number {
    return i < this.count ? (this.flags[i] as number) : 0;
  }

  /** First character of token i (for telling operators apart), or -1. */
  charAt(i: number): number {
    return i < this.count ? this.text.charCodeAt(this.start[i] as number) : -1;
  }

  /** Length in characters of token i. */
  lengthAt(i: number): number {
    return i < this.count ? (this.end[i] as number) - (this.start[i] as number) : 0;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95 || c === 36 || c >= 0x80
  );
}

function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0x80;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * Tokenizes `text` as if it had been pasted after `context` (libinjection's idea): in a quote
 * context the first token is the string the application opened, closed by the first
 * unescaped matching quote in the value.
 * `plusIsSpace` reads `+` between words as a space, for values still form-encoded.
 */
export function tokenizeSql(out: SqlTokens, text: string, context: QuoteContext, plusIsSpace = false): SqlTokens {
  out.count = 0;
  out.inlineComments = 0;
  out.versionComments = 0;
  out.text = text;
  out.context = context;
  const len = text.length;
  let pos = 0;
  let inVersionComment = false;

  if (context !== 0) {
    // No backslash escapes here: \' is how values break out of naive escaping (and of
    // PostgreSQL and MSSQL strings, which have none).
    const close = endOfQuoted(text, 0, context, false);
    const open = close > len;
    push(out, TokenType.String, 0, open ? len : close, TokenFlag.Prefix | (open ? TokenFlag.Open : 0), Kw.None);
    if (open) return out;
    pos = close;
  }

  while (pos < len && out.count < MAX_TOKENS) {
    const c = text.charCodeAt(pos);
    if (isSpace(c) || (plusIsSpace && c === 0x2b)) {
      pos++;
      continue;
    }
    const next = pos + 1 < len ? text.charCodeAt(pos + 1) : -1;

    if (c === SINGLE || c === DOUBLE) {
      const close = endOfQuoted(text, pos + 1, c, true);
      const open = close > len;
      push(out, TokenType.String, pos, open ? len : close, open ? TokenFlag.Open : 0, Kw.None);
      pos = open ? len : close;
      continue;
    }
    if (c === BACKTICK) {
      const close = text.indexOf('`', pos + 1);
      const end = close < 0 ? len : close + 1;
      push(out, TokenType.Bareword, pos, end, close < 0 ? TokenFlag.Open : 0, Kw.None);
      pos = end;
      continue;
    }
    if (c === 0x5b && isWordStart(next)) {
      // MSSQL's [bracketed identifier], which may hold anything but ] ([ODBC;DRIVER=...]).
      const close = bracketClose(text, pos);
      if (close > 0) {
        push(out, TokenType.Bareword, pos, close + 1, 0, Kw.None);
        pos = close + 1;
        continue;
      }
    }
    if (isDigit(c) || (c === 0x2e && isDigit(next))) {
      pos = readNumber(out, text, pos);
      continue;
    }
    if (isWordStart(c)) {
      pos = readWord(out, text, pos);
      continue;
    }
    if (c === 0x40) {
      if (next === 0x3e) {
        // @> : PostgreSQL's "contains" (jsonb, arrays, ranges), a test like =.
        push(out, TokenType.Operator, pos, pos + 2, TokenFlag.Compare, Kw.None);
        pos += 2;
        continue;
      }
      pos = readVariable(out, text, pos);
      continue;
    }
    if (c === 0x24) {
      // $$text$$ and $tag$text$tag$: PostgreSQL's dollar-quoted strings, quotes without a quote character.
      const end = endOfDollarQuoted(text, pos);
      if (end > 0) {
        push(out, TokenType.String, pos, end, 0, Kw.None);
        pos = end;
        continue;
      }
    }
    if ((c === 0x2d && next === 0x2d) || c === 0x23) {
      const nl = text.indexOf('\n', pos);
      if (nl >= 0 && textAfter(text, nl + 1)) {
        // A line comment with SQL on the next line (UNION#\nSELECT) only separates words, as /**/ does.
        out.inlineComments++;
        pos = nl;
        continue;
      }
      const end = nl < 0 ? len : nl;
      push(out, TokenType.Comment, pos, end, nl < 0 ? TokenFlag.Open : 0, Kw.None);
      pos = end;
      continue;
    }
    if (c === 0x2f && next === 0x2a) {
      if (pos + 2 < len && text.charCodeAt(pos + 2) === 0x21) {
        // MySQL runs what is inside /*!50000 ... */: skip the marker and its version, read on.
        pos += 3;
        let digits = 0;
        while (pos < len && digits < 6 && isDigit(text.charCodeAt(pos))) {
          pos++;
          digits++;
        }
        inVersionComment = true;
        out.versionComments++;
        continue;
      }
      const close = text.indexOf('*/', pos + 2);
      if (close < 0) {
        push(out, TokenType.Comment, pos, len, TokenFlag.Open, Kw.None);
        pos = len;
      } else {
        out.inlineComments++;
        pos = close + 2;
      }
      continue;
    }
    if (c === 0x2a && next === 0x2f && inVersionComment) {
      inVersionComment = false;
      pos += 2;
      continue;
    }
    pos = readPunctuation(out, text, pos, c, next);
  }
  return out;
}

/**
 * Where the dollar-quoted string opening at `open` ($$ or $tag$, the tag a word without `$`)
 * ends, past its closing delimiter; -1 when `open` starts no such string or it never closes.
 */
function endOfDollarQuoted(text: string, open: number): number {
  let k = open + 1;
  while (k < text.length && k - open <= 32 && text.charCodeAt(k) !== 0x24) {
    if (!isWordChar(text.charCodeAt(k)) || (k === open + 1 && isDigit(text.charCodeAt(k)))) return -1;
    k++;
  }
  if (text.charCodeAt(k) !== 0x24) return -1;
  const delimiter = text.slice(open, k + 1);
  const close = text.indexOf(delimiter, k + 1);
  return close < 0 ? -1 : close + delimiter.length;
}

/** Where the `]` closing a bracketed identifier at `open` stands, within 128 characters and one line; -1 if none. */
function bracketClose(text: string, open: number): number {
  const limit = Math.min(text.length, open + 129);
  for (let k = open + 1; k < limit; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x5d) return k;
    if (c === 0x0a) return -1;
  }
  return -1;
}

/** Whether anything but whitespace follows `from`: stops at the first such character, so each comment costs only the spaces after it. */
function textAfter(text: string, from: number): boolean {
  for (let k = from; k < text.length; k++) if (!isSpace(text.charCodeAt(k))) return true;
  return false;
}

function push(out: SqlTokens, type: TokenType, start: number, end: number, flags: number, kw: Kw): void {
  const i = out.count;
  if (i >= MAX_TOKENS) return;
  out.type[i] = type;
  out.start[i] = start;
  out.end[i] = end;
  out.flags[i] = flags;
  out.kw[i] = kw;
  out.count = i + 1;
}

/**
 * Index just past the quote that closes a literal opened before `from`, or len + 1 when the
 * input ends first. A doubled quote (and, with `backslashes`, a backslash escape) does not close it.
 */
function endOfQuoted(text: string, from: number, quote: number, backslashes: boolean): number {
  const len = text.length;
  let i = from;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH && backslashes) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (i + 1 < len && text.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return len + 1;
}

function readNumber(out: SqlTokens, text: string, start: number): number {
  const len = text.length;
  let pos = start;
  const second = pos + 1 < len ? text.charCodeAt(pos + 1) | 32 : -1;
  if (text.charCodeAt(pos) === 48 && (second === 0x78 || second === 0x62)) {
    // 0x414243 and 0b0101: MySQL's favourite way to smuggle a string without quotes.
    pos += 2;
    while (pos < len && isHexDigit(text.charCodeAt(pos))) pos++;
  } else {
    while (pos < len && isDigit(text.charCodeAt(pos))) pos++;
    let point = false;
    if (pos < len && text.charCodeAt(pos) === 0x2e) {
      point = true;
      pos++;
      while (pos < len && isDigit(text.charCodeAt(pos))) pos++;
    }
    if (pos < len && (text.charCodeAt(pos) | 32) === 0x65) {
      let e = pos + 1;
      const sign = e < len ? text.charCodeAt(e) : -1;
      if (sign === 0x2b || sign === 0x2d) e++;
      if (e < len && isDigit(text.charCodeAt(e))) {
        pos = e;
        while (pos < len && isDigit(text.charCodeAt(pos))) pos++;
      } else if (point && (sign === 0x28 || sign === 0x29 || sign === 0x2c)) {
        // 1.e( 1.e) 1.e, with no exponent: MySQL reads "1.e" as nothing at all there, so it
        // stands where a space would (a WAF bypass). Skipped like an inline comment.
        out.inlineComments++;
        return pos + 1;
      }
    }
  }
  push(out, TokenType.Number, start, pos, 0, Kw.None);
  return pos;
}

function readWord(out: SqlTokens, text: string, start: number): number {
  const len = text.length;
  const first = text.charCodeAt(start);
  const second = start + 1 < len ? text.charCodeAt(start + 1) : -1;
  // N'unicode', E'escape', X'hex', B'bits': one letter glued to a quote is a string prefix.
  const letter = first | 32;
  if (second === SINGLE && (letter === 0x6e || letter === 0x65 || letter === 0x78 || letter === 0x62)) {
    const close = endOfQuoted(text, start + 2, SINGLE, true);
    const open = close > len;
    push(out, TokenType.String, start, open ? len : close, open ? TokenFlag.Open : 0, Kw.None);
    return open ? len : close;
  }
  let pos = start;
  let firstDot = -1;
  let lastDot = -1;
  while (pos < len) {
    const c = text.charCodeAt(pos);
    if (isWordChar(c)) {
      pos++;
    } else if (c === 0x2e && pos + 1 < len && (isWordStart(text.charCodeAt(pos + 1)) || text.charCodeAt(pos + 1) === 0x2e)) {
      // Qualified names (dbms_pipe.receive_message, master..xp_cmdshell) are one token.
      if (firstDot < 0) firstDot = pos;
      lastDot = pos;
      pos++;
    } else {
      break;
    }
  }

  let type = TokenType.Bareword;
  let flags = 0;
  let kw = Kw.None;
  let index = lookupKeyword(text, start, pos);
  if (index < 0 && lastDot >= 0) {
    const last = lookupKeyword(text, lastDot + 1, pos);
    if (last >= 0 && keywordType(last) === TokenType.Function) index = last;
    else {
      const head = lookupKeyword(text, start, firstDot);
      if (head >= 0 && (keywordFlags(head) & TokenFlag.Catalog) !== 0) flags |= TokenFlag.Catalog;
      if (last >= 0 && (keywordFlags(last) & TokenFlag.Catalog) !== 0) flags |= TokenFlag.Catalog;
    }
  }
  if (index >= 0) {
    type = keywordType(index);
    flags |= keywordFlags(index);
    kw = keywordKw(index);
  }

  let after = pos;
  while (after < len && isSpace(text.charCodeAt(after))) after++;
  if (after < len && text.charCodeAt(after) === 0x28) {
    const spaced = after > pos;
    if (
      type === TokenType.Bareword ||
      type === TokenType.Function ||
      (flags & TokenFlag.Callable) !== 0 ||
      ((flags & TokenFlag.CallableTight) !== 0 && !spaced)
    ) {
      type = TokenType.Function;
      if (spaced) flags |= TokenFlag.SpacedCall;
    }
  }
  push(out, type, start, pos, flags, kw);
  return pos;
}

function readVariable(out: SqlTokens, text: string, start: number): number {
  const len = text.length;
  let pos = start + 1;
  let flags = 0;
  if (pos < len && text.charCodeAt(pos) === 0x40) {
    pos++;
    flags = TokenFlag.Info; // @@version, @@datadir, @@hostname: server facts.
  }
  const nameStart = pos;
  while (pos < len && (isWordChar(text.charCodeAt(pos)) || text.charCodeAt(pos) === 0x2e)) pos++;
  if (pos === nameStart) {
    push(out, TokenType.Other, start, pos, 0, Kw.None);
    return pos;
  }
  push(out, TokenType.Variable, start, pos, flags, Kw.None);
  return pos;
}

function readPunctuation(out: SqlTokens, text: string, pos: number, c: number, next: number): number {
  switch (c) {
    case 0x28:
      push(out, TokenType.LeftParen, pos, pos + 1, 0, Kw.None);
      return pos + 1;
    case 0x29:
      push(out, TokenType.RightParen, pos, pos + 1, 0, Kw.None);
      return pos + 1;
    case 0x2c:
      push(out, TokenType.Comma, pos, pos + 1, 0, Kw.None);
      return pos + 1;
    case 0x3b:
      push(out, TokenType.Semicolon, pos, pos + 1, 0, Kw.None);
      return pos + 1;
    case 0x2e:
      push(out, TokenType.Dot, pos, pos + 1, 0, Kw.None);
      return pos + 1;
    case 0x3d: // = and ==
      push(out, TokenType.Operator, pos, next === 0x3d ? pos + 2 : pos + 1, TokenFlag.Compare, Kw.None);
      return next === 0x3d ? pos + 2 : pos + 1;
    case 0x3c: {
      if (next === 0x40) {
        // <@ : PostgreSQL's "is contained by".
        push(out, TokenType.Operator, pos, pos + 2, TokenFlag.Compare, Kw.None);
        return pos + 2;
      }
      // < <= <> <=> <<
      let end = pos + 1;
      if (next === 0x3d || next === 0x3e || next === 0x3c) end++;
      if (next === 0x3d && text.charCodeAt(pos + 2) === 0x3e) end++;
      push(out, TokenType.Operator, pos, end, next === 0x3c ? 0 : TokenFlag.Compare, Kw.None);
      return end;
    }
    case 0x3e: {
      const end = next === 0x3d || next === 0x3e ? pos + 2 : pos + 1;
      push(out, TokenType.Operator, pos, end, next === 0x3e ? 0 : TokenFlag.Compare, Kw.None);
      return end;
    }
    case 0x21: // ! != !< !>
      if (next === 0x3d || next === 0x3c || next === 0x3e) {
        push(out, TokenType.Operator, pos, pos + 2, TokenFlag.Compare, Kw.None);
        return pos + 2;
      }
      push(out, TokenType.Not, pos, pos + 1, 0, Kw.None);
      return pos + 1;
    case 0x7c: // | ||
    case 0x26: // & &&
      if (next === c) {
        push(out, TokenType.Logic, pos, pos + 2, 0, Kw.None);
        return pos + 2;
      }
      push(out, TokenType.Operator, pos, pos + 1, 0, Kw.None);
      return pos + 1;
    case 0x3a: // :: and := ; a lone colon is not SQL
      if (next === 0x3a || next === 0x3d) {
        push(out, TokenType.Operator, pos, pos + 2, 0, Kw.None);
        return pos + 2;
      }
      push(out, TokenType.Other, pos, pos + 1, 0, Kw.None);
      return pos + 1;
    case 0x2d: // -> ->>
      if (next === 0x3e) {
        const end = text.charCodeAt(pos + 2) === 0x3e ? pos + 3 : pos + 2;
        push(out, TokenType.Operator, pos, end, 0, Kw.None);
        return end;
      }
      push(out, TokenType.Operator, pos, pos + 1, 0, Kw.None);
      return pos + 1;
    case 0x2b:
    case 0x2a:
    case 0x2f:
    case 0x25:
    case 0x5e:
    case 0x7e:
      push(out, TokenType.Operator, pos, pos + 1, 0, Kw.None);
      return pos + 1;
    default:
      push(out, TokenType.Other, pos, pos + 1, 0, Kw.None);
      return pos + 1;
  }
}
