/**
 * Cross-site scripting detection for one (already URL-decoded) request value.
 *
 * A value is dangerous for what a browser would do with it, wherever the application puts it, so
 * it is read in each context it can land in:
 * - HTML text: every `<` that starts a tag is tokenized like the browser does and judged;
 * - inside an attribute: the value read as a run of attributes from its start (unquoted
 *   attribute) and from just after its first `"` and `'` (quoted attribute it breaks out of);
 * - as a whole URL (`javascript:...`), or a markdown link;
 * - inside a JS string literal: what follows the first quote of each kind;
 * - inside a client-side template (`{{...}}`, `${...}`);
 * - once more after undoing encodings a page may undo for it (base64 data URLs, JS escapes, UTF-7).
 *
 * Most values hold none of the characters these contexts need and leave after one pass over
 * their char codes, without allocating.
 */

import { equalsLowerAt } from './dangerousNames';
import { decodeUtf7 } from '../utf7';
import { decodeJsEscapes } from './hiddenMarkup';
import { TagReader } from './htmlTokenizer';
import { judgeAttributeList, judgeTag } from './tagJudge';
import { judgeBareCall, judgeBareUrl, judgeJsBreakout, judgeMarkdownLinks, judgeTemplates } from './textJudge';
import { makeMatch } from './xssMatch';
import type { ThreatMatch } from '../threatMatch';

/** Confidence here is how surely a browser would run script from the construct. */
export type XssMatch = ThreatMatch;

const reader = new TagReader();

// Bits the pre-scan records: which contexts the value can possibly reach.
const LT = 1;
const EQ = 2;
const COLON = 4;
const AMP = 8;
const QUOTE = 16;
const BRACE = 32;
const BACKSLASH = 64;
const PLUS = 128;
const NUL = 256;
const BRACKET = 512;
const PAREN = 1024;
/** Bits that on their own send a value to the judges; NUL and `]` only matter with others. */
const TRIGGERS = LT | EQ | COLON | AMP | QUOTE | BRACE | BACKSLASH | PLUS | PAREN;

/** A payload a data URL carried, filled by the URL judges. */
const decoded = { document: '' };

/** Decoded payloads are judged once more, never deeper. */
let depth = 0;

/** For each ASCII code unit, the pre-scan bit it sets (0 for most). */
const CHAR_BITS = new Uint16Array(128);
CHAR_BITS[60] = LT;
CHAR_BITS[61] = EQ;
CHAR_BITS[58] = COLON;
CHAR_BITS[38] = AMP;
CHAR_BITS[34] = QUOTE;
CHAR_BITS[39] = QUOTE;
CHAR_BITS[96] = QUOTE;
CHAR_BITS[123] = BRACE;
CHAR_BITS[92] = BACKSLASH;
CHAR_BITS[43] = PLUS;
CHAR_BITS[93] = BRACKET;
CHAR_BITS[0] = NUL;
CHAR_BITS[40] = PAREN;

export function detectXss(value: string): XssMatch | undefined {
  let seen = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 128) seen |= CHAR_BITS[c]!;
  }
  if ((seen & TRIGGERS) === 0) return undefined;
  // Browsers and old filters drop NULs (`<scr\0ipt>`, `java\0script:`); judge the value without them.
  const s = seen & NUL ? value.replace(/\0/g, '') : value;
  return judge(s, seen);
}

function judge(s: string, seen: number): XssMatch | undefined {
  let weak: XssMatch | undefined;
  if (seen & LT) {
    for (let lt = s.indexOf('<'); lt >= 0; lt = s.indexOf('<', lt + 1)) {
      if (reader.beginTag(s, lt)) {
        const m = judgeTag(reader, s, lt);
        if (m !== undefined) return m;
      } else if (weak === undefined && equalsLowerAt(s, lt + 1, '/script')) {
        // Closing a script block is how a value breaks out of inline script; keep looking for more.
        weak = makeMatch(s, lt, lt + 9, 'endtag:script', 0.6, 'closes a <script> block');
      }
    }
  }
  if (seen & EQ) {
    const m = judgeAttributeContexts(s);
    if (m !== undefined) return m;
  }
  decoded.document = '';
  if (seen & (COLON | AMP)) {
    const m = judgeBareUrl(s, 0, decoded) ?? (seen & BRACKET ? judgeMarkdownLinks(s, decoded) : undefined);
    if (m !== undefined) return m;
  }
  if (seen & QUOTE) {
    const m = judgeJsBreakout(s);
    if (m !== undefined) return m;
  }
  if (seen & BRACE) {
    const m = judgeTemplates(s);
    if (m !== undefined) return m;
  }
  if (seen & (PAREN | QUOTE)) {
    const m = judgeBareCall(s);
    if (m !== undefined) return m;
  }
  if (depth === 0) {
    if (decoded.document !== '') weak = judgeDecoded(s, decoded.document, 'data-url') ?? weak;
    if (seen & BACKSLASH) weak = judgeDecoded(s, decodeJsEscapes(s), 'js-escape') ?? weak;
    if (seen & PLUS) weak = judgeDecoded(s, decodeUtf7(s), 'utf7') ?? weak;
  }
  return weak;
}

/** Judges what an encoding hid, reporting it against the original value. */
function judgeDecoded(original: string, text: string | undefined, encoding: string): XssMatch | undefined {
  if (text === undefined || text === original) return undefined;
  depth++;
  try {
    const inner = detectXss(text);
    if (inner === undefined) return undefined;
    return { ...inner, fingerprint: `${encoding}+${inner.fingerprint}`, fragment: original.slice(0, 120), reason: `${inner.reason} (${encoding} encoded)` };
  } finally {
    depth--;
  }
}

/** The value inside an unquoted attribute, or breaking out of a `"`- or `'`-quoted one. */
function judgeAttributeContexts(s: string): XssMatch | undefined {
  const m = judgeAttributeList(reader, s, 0);
  if (m !== undefined) return m;
  const dq = s.indexOf('"');
  if (dq >= 0) {
    const d = judgeAttributeList(reader, s, dq + 1);
    if (d !== undefined) return d;
  }
  const sq = s.indexOf("'");
  if (sq >= 0) return judgeAttributeList(reader, s, sq + 1);
  return undefined;
}
