// SQL injection detection for one (already decoded) request value. A cheap scan turns away the
// bulk of benign values; the rest are tokenized as SQL once per plausible quote context (bare,
// '...', "...", `...`) and each token sequence is judged (sqlJudge.ts). No regular expressions.
import { lookupKeyword, keywordType } from './sqlKeywords';
import { SqlGrammar } from './sqlGrammar';
import { judgeTokens, type Technique, type Verdict } from './sqlJudge';
import { SqlTokens, tokenizeSql, type QuoteContext } from './sqlTokenizer';
import { TOKEN_LETTER, TokenType } from './sqlTokens';
import type { ThreatMatch } from '../threatMatch';

export type SqliMatch = ThreatMatch;

/** Longer values are judged on their start: injections sit near the front of a value. */
const MAX_JUDGED = 4096;
const MAX_FRAGMENT = 120;
const FINGERPRINT_TOKENS = 12;
/** Good enough to stop trying other contexts. */
const CONCLUSIVE = 0.9;

const MARK_SINGLE = 1;
const MARK_DOUBLE = 2;
const MARK_BACKTICK = 4;
/** ; ( ) = < > | & @ # !: characters SQL structure needs. */
const MARK_STRUCTURE = 8;
/** -- or /* */
const MARK_COMMENT = 16;
const MARK_SPACE = 32;
const MARK_PLUS = 64;
const MARK_NEEDS_TOKENS = MARK_SINGLE | MARK_DOUBLE | MARK_BACKTICK | MARK_STRUCTURE | MARK_COMMENT;

// One token buffer for every call: detectSqli is synchronous, so calls never interleave.
const tokens = new SqlTokens();
const grammar = new SqlGrammar(tokens);

const TECHNIQUE_REASON: Readonly<Record<Technique, string>> = {
  union: 'UNION SELECT appends attacker rows',
  stacked: 'a second statement is stacked on the query',
  time: 'a time-delay primitive (blind, time-based)',
  error: 'an error-forcing function that leaks data in the message',
  exec: 'a function reaching files, the OS or the network',
  boolean: 'a boolean condition (tautology or blind test) is appended',
  inline: 'a boolean test stands in for the value (blind, parameter replace)',
  concat: 'a sub-query or server fact is spliced into the query',
  truncation: 'a comment cuts off the rest of the query',
  column_probe: 'ORDER BY / GROUP BY a column number probes the column count',
  raw_query: 'a whole SQL query where a value belongs',
  info: 'the value asks for a server fact (@@version, user())',
};

const CONTEXT_REASON: Readonly<Record<QuoteContext, string>> = {
  0: 'as a bare (numeric) value',
  0x27: "after closing a '...' string",
  0x22: 'after closing a "..." string',
  0x60: 'after closing a `...` identifier',
};

/** Judges one request value; undefined when it does not read as SQL injection. */
export function detectSqli(value: string): SqliMatch | undefined {
  if (value.length < 2) return undefined;
  const text = value.length > MAX_JUDGED ? value.slice(0, MAX_JUDGED) : value;
  const marks = scan(text);
  if ((marks & MARK_NEEDS_TOKENS) === 0 && !hasPivotWord(text)) return undefined;
  const formEncoded = (marks & MARK_PLUS) !== 0 && (marks & MARK_SPACE) === 0;
  return judgeContexts(text, marks, false) ?? (formEncoded ? judgeContexts(text, marks, true) : undefined);
}

function judgeContexts(text: string, marks: number, plusIsSpace: boolean): SqliMatch | undefined {
  let best: SqliMatch | undefined;
  const contexts = contextsOf(marks);
  for (let i = 0; i < contexts.length; i++) {
    const context = contexts[i] as QuoteContext | -1;
    if (context === -1) continue;
    const found = judgeTokens(tokenizeSql(tokens, text, context, plusIsSpace), grammar);
    if (found === undefined || (best !== undefined && found.confidence <= best.confidence)) continue;
    best = toMatch(text, context, found);
    if (best.confidence >= CONCLUSIVE) break;
  }
  return best;
}

const CONTEXTS: (QuoteContext | -1)[] = [0, -1, -1, -1];

/** Quote contexts worth trying: a context only matters when the value holds its quote. Reuses one array. */
function contextsOf(marks: number): readonly (QuoteContext | -1)[] {
  CONTEXTS[1] = marks & MARK_SINGLE ? 0x27 : -1;
  CONTEXTS[2] = marks & MARK_DOUBLE ? 0x22 : -1;
  CONTEXTS[3] = marks & MARK_BACKTICK ? 0x60 : -1;
  return CONTEXTS;
}

function toMatch(text: string, context: QuoteContext, v: Verdict): SqliMatch {
  const end = Math.min(v.end, v.start + MAX_FRAGMENT);
  return {
    fingerprint: fingerprint(context),
    fragment: text.slice(v.start, end),
    confidence: Math.round(v.confidence * 100) / 100,
    reason: `${TECHNIQUE_REASON[v.technique]}, ${CONTEXT_REASON[context]}`,
  };
}

/** The context's quote (or `_` for bare) then one letter per token: `'s&1o1c` is ' OR 1=1--. */
function fingerprint(context: QuoteContext): string {
  let out = context === 0 ? '_' : String.fromCharCode(context);
  const n = Math.min(tokens.count, FINGERPRINT_TOKENS);
  for (let i = 0; i < n; i++) out += TOKEN_LETTER[tokens.type[i] as TokenType];
  return out;
}

/** One pass over the characters, noting the ones SQL injection cannot do without. */
function scan(text: string): number {
  let marks = 0;
  const len = text.length;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 0x27:
        marks |= MARK_SINGLE;
        break;
      case 0x22:
        marks |= MARK_DOUBLE;
        break;
      case 0x60:
        marks |= MARK_BACKTICK;
        break;
      case 0x3b: // ;
      case 0x28: // (
      case 0x29: // )
      case 0x3d: // =
      case 0x3c: // <
      case 0x3e: // >
      case 0x7c: // |
      case 0x26: // &
      case 0x40: // @
      case 0x23: // #
      case 0x21: // !
        marks |= MARK_STRUCTURE;
        break;
      case 0x2d:
        if (i + 1 < len && text.charCodeAt(i + 1) === 0x2d) marks |= MARK_COMMENT;
        break;
      case 0x2f:
        if (i + 1 < len && text.charCodeAt(i + 1) === 0x2a) marks |= MARK_COMMENT;
        break;
      case 0x2b:
        marks |= MARK_PLUS;
        break;
      case 0x20:
      case 0x09:
      case 0x0a:
      case 0x0d:
        marks |= MARK_SPACE;
        break;
      default:
        break;
    }
  }
  return marks;
}

/**
 * With no quote, comment or operator, only keywords can inject (1 OR TRUE, 1 UNION SELECT
 * NULL, 1 ORDER BY 3): look for one of the words that can start that, without allocating.
 */
function hasPivotWord(text: string): boolean {
  const len = text.length;
  let i = 0;
  while (i < len) {
    while (i < len && !isLetter(text.charCodeAt(i))) i++;
    const start = i;
    while (i < len && isLetter(text.charCodeAt(i))) i++;
    if (i - start < 2 || i - start > 9 || (start === 0 && i === len)) continue;
    const index = lookupKeyword(text, start, i);
    if (index < 0) continue;
    const type = keywordType(index);
    if (type === TokenType.Logic || type === TokenType.Union || type === TokenType.Select || type === TokenType.Clause) return true;
  }
  return false;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
