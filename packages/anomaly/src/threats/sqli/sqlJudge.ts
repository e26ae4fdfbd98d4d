// Judges one tokenization of a value. Two questions, libinjection style: (1) where would the
// value break out of its context (the closing quote, or after the leading number), and does
// what follows read as SQL that changes the query (a tautology, UNION SELECT, a stacked
// statement, a comment that cuts the query off)? (2) wherever it is, does the token stream
// hold a construct that is an attack on its own (UNION SELECT, ; DROP TABLE, SLEEP(5))?
import { Operand, Signal, SqlGrammar } from './sqlGrammar';
import type { SqlTokens } from './sqlTokenizer';
import { Kw, TokenFlag, TokenType } from './sqlTokens';

export type Technique =
  | 'union'
  | 'stacked'
  | 'time'
  | 'error'
  | 'exec'
  | 'boolean'
  | 'inline'
  | 'concat'
  | 'truncation'
  | 'column_probe'
  | 'raw_query'
  | 'info';

export interface Verdict {
  technique: Technique;
  confidence: number;
  /** Character range of the input that made the verdict. */
  start: number;
  end: number;
}

/** Judges the tokens, returning the strongest verdict or undefined. Reuses `g` between calls. */
export function judgeTokens(t: SqlTokens, g: SqlGrammar): Verdict | undefined {
  g.t = t;
  const atBreak = judgeBreak(t, g);
  if (atBreak !== undefined && atBreak.confidence >= 0.9) return atBreak;
  const anywhere = judgeAnywhere(t, g) ?? judgeInlineCondition(t, g);
  if (anywhere === undefined) return atBreak;
  if (atBreak === undefined) return anywhere;
  return anywhere.confidence > atBreak.confidence ? anywhere : atBreak;
}

function verdict(t: SqlTokens, technique: Technique, confidence: number, start: number, endToken: number): Verdict {
  // Obfuscation is itself evidence: benign values do not hide keywords in comments.
  const hidden = t.inlineComments > 0 || t.versionComments > 0 ? 0.05 : 0;
  const last = Math.max(0, Math.min(endToken, t.count) - 1);
  const end = Math.max(start, t.end[last] as number);
  return { technique, confidence: Math.min(1, confidence + hidden), start, end };
}

function isUnary(g: SqlGrammar, i: number): boolean {
  return g.at(i) === TokenType.Not || g.isOperatorChar(i, 0x2d) || g.isOperatorChar(i, 0x2b) || g.isOperatorChar(i, 0x7e);
}

/** Where the injected part starts, and what sat before it. */
interface BreakPoint {
  /** First token after the break. */
  index: number;
  /** The value closed a quote, or began with a number, or closed parentheses: it left a value's place. */
  broke: boolean;
  /** Numeric context that opened with a number (1 OR 1=1), not a word (Salt and pepper). */
  leadingNumber: boolean;
}

function findBreak(t: SqlTokens, g: SqlGrammar): BreakPoint {
  let i = 0;
  let leadingNumber = false;
  let leadingOperand = false;
  if (t.context !== 0) {
    i = 1;
  } else {
    // Numeric context: the value starts as the number (or name) the application expected.
    let j = 0;
    while (isUnary(g, j)) j++;
    const ty = t.typeAt(j);
    leadingNumber = ty === TokenType.Number;
    leadingOperand =
      leadingNumber || ty === TokenType.Bareword || ty === TokenType.Variable || ty === TokenType.Literal || ty === TokenType.String;
    if (leadingOperand) i = j + 1;
  }
  let closers = 0;
  while (t.typeAt(i) === TokenType.RightParen) {
    i++;
    closers++;
  }
  return { index: i, broke: t.context !== 0 || leadingNumber || closers > 0, leadingNumber };
}

/**
 * Reads the injected part as a chain of sections (OR <expr>, UNION SELECT ..., ; <statement>,
 * ORDER BY ..., a comment), gathering signals in g.sig. Returns how many sections were read.
 */
function readTail(t: SqlTokens, g: SqlGrammar, at: BreakPoint): number {
  const quoted = t.context !== 0;
  g.p = at.index;
  g.sig = 0;
  let sections = 0;
  tail: while (g.p < t.count) {
    const p = g.p;
    const ty = t.typeAt(p);
    switch (ty) {
      case TokenType.Logic:
      case TokenType.Operator: {
        g.p++;
        const exprStart = g.p;
        const kind = g.expression();
        if (kind === Operand.Fail) {
          g.p = p;
          break tail;
        }
        if (ty === TokenType.Logic) {
          g.sig |= Signal.LogicTail | g.literalTruth(exprStart, g.p);
          if (kind === Operand.Computed) g.sig |= Signal.Computed;
        } else {
          g.sig |= Signal.ConcatTail;
          // The quote context's string is the left operand: '=' compares it with the next.
          // Against a bare name ('>IpZ9) it compares with a column nobody named: a random token, not a test.
          if (quoted && sections === 0 && (t.flagsAt(p) & TokenFlag.Compare) !== 0 && kind >= Operand.Value) {
            g.sig |= Signal.Compare | Signal.HardCompare;
          }
        }
        break;
      }
      case TokenType.Union:
        if (!g.unionSelect()) break tail;
        if (at.broke || g.isStrongSelect()) g.sig |= Signal.Union;
        break;
      case TokenType.Semicolon: {
        g.p++;
        const next = t.typeAt(g.p);
        if (next === 0 || next === TokenType.Comment || next === TokenType.Semicolon) break;
        if (!g.statement()) {
          g.p = p;
          break tail;
        }
        g.sig |= Signal.Stacked;
        g.p = t.count;
        return sections + 1;
      }
      case TokenType.Statement:
        if (!g.statement()) {
          g.p = p;
          break tail;
        }
        g.sig |= Signal.Batch;
        g.p = t.count;
        return sections + 1;
      case TokenType.Comment:
        g.sig |= Signal.CommentEnd;
        g.p++;
        break;
      case TokenType.Clause:
        if (!clause(t, g)) {
          g.p = p;
          break tail;
        }
        break;
      case TokenType.RightParen:
        g.p++;
        break;
      case TokenType.Keyword:
        if (t.kwAt(p) === Kw.Where) {
          // ' WHERE 1=1: a condition of the attacker's own.
          g.p++;
          if (g.expression() === Operand.Fail) {
            g.p = p;
            break tail;
          }
          g.sig |= Signal.LogicTail;
          break;
        }
        if (t.kwAt(p) === Kw.Into && (t.kwAt(p + 1) === Kw.Outfile || t.kwAt(p + 1) === Kw.Dumpfile)) {
          g.sig |= Signal.OutFile;
          g.p += 2;
          break;
        }
        break tail;
      default:
        break tail;
    }
    sections++;
  }
  return sections;
}

/** What the value breaks out with, read from the break point on. */
function judgeBreak(t: SqlTokens, g: SqlGrammar): Verdict | undefined {
  const quoted = t.context !== 0;
  // A value that is nothing but a server fact: @@version, user(), version()#
  if (!quoted && isLoneServerFact(t, g)) return verdict(t, 'info', 0.6, 0, t.count);
  const at = findBreak(t, g);
  if (at.index >= t.count) return undefined;
  const first = t.typeAt(at.index);
  if (readTail(t, g, at) === 0) return undefined;

  const s = g.sig;
  const clean = g.p >= t.count || (s & Signal.CommentEnd) !== 0;
  const start = quoted ? (t.end[0] as number) - 1 : (t.start[0] as number);
  const end = g.p;
  if (s & Signal.Union) return verdict(t, 'union', 0.95, start, end);
  if (s & Signal.Stacked) return verdict(t, 'stacked', 0.9, start, end);
  if (s & Signal.Batch && at.broke) return verdict(t, 'stacked', 0.85, start, end);
  if (s & Signal.Time) return verdict(t, 'time', 0.95, start, end);
  if (s & (Signal.Exec | Signal.OutFile)) return verdict(t, 'exec', 0.9, start, end);
  if (s & Signal.ErrorLeak) return verdict(t, 'error', 0.9, start, end);
  const tails = Signal.LogicTail | Signal.ConcatTail;
  if (s & tails && s & Signal.SoftTime) return verdict(t, 'time', 0.85, start, end);
  if (s & tails && s & Signal.SoftErrorLeak && s & (Signal.Info | Signal.Subselect | Signal.Compare)) {
    return verdict(t, 'error', 0.85, start, end);
  }
  const evidence = Signal.Subselect | Signal.Info;
  if (s & Signal.LogicTail) {
    if (quoted) {
      if (s & Signal.HardCompare) return verdict(t, 'boolean', clean ? 0.9 : 0.8, start, end);
      if (s & evidence) return verdict(t, 'concat', clean ? 0.9 : 0.8, start, end);
      // ' OR 1-- and ' OR a=b#, but not the feet in "5' or 6' ladder".
      if (s & (Signal.Compare | Signal.Truthy) && clean) return verdict(t, 'boolean', 0.75, start, end);
    } else if (s & (Signal.HardCompare | evidence) || (s & (Signal.Compare | Signal.Truthy) && s & Signal.CommentEnd)) {
      return verdict(t, 'boolean', at.broke ? 0.85 : 0.75, start, end);
    } else if (at.index === 0 && first === TokenType.Logic && clean && s & (Signal.Truthy | Signal.Falsy | Signal.Computed)) {
      // The whole value is "AND 0" / "OR TRUE" / "|| f(x)": a blind true/false probe.
      return verdict(t, 'boolean', 0.6, start, end);
    }
  }
  if (s & Signal.ConcatTail) {
    if (s & evidence) return verdict(t, 'concat', 0.8, start, end);
    if (quoted && s & Signal.HardCompare && clean && closesQuote(t)) return verdict(t, 'boolean', 0.75, start, end);
  }
  // '-' '*' '||' ' or ''-': only operators and literals between the quotes, the login bypass.
  if (quoted && isLiteralArithmetic(t) && isBareWordPrefix(t)) return verdict(t, 'boolean', 0.7, start, t.count);
  if (s & Signal.ColumnProbe && (quoted || at.leadingNumber || s & Signal.CommentEnd || (at.index === 0 && clean))) {
    return verdict(t, 'column_probe', 0.8, start, end);
  }
  if (quoted && first === TokenType.Comment && isBareWordPrefix(t) && isTerseComment(t, at.index)) {
    return verdict(t, 'truncation', 0.7, start, end);
  }
  return undefined;
}

/**
 * Whether a quoted value leaves the query well formed: it ends in an open string that the
 * application's own closing quote completes ('='), or in a comment that swallows that quote.
 * x'>7 would leave a stray quote behind: a syntax error, not a test.
 */
function closesQuote(t: SqlTokens): boolean {
  const last = t.count - 1;
  const ty = t.typeAt(last);
  return ty === TokenType.Comment || (ty === TokenType.String && (t.flagsAt(last) & TokenFlag.Open) !== 0 && last > 0);
}

/**
 * Whether comment token i says nothing: admin'--, admin'#, admin'-- -, not the prose of
 * 12" -- 30cm or '#' key, nor the #%~6 of a random token.
 */
function isTerseComment(t: SqlTokens, i: number): boolean {
  const end = t.end[i] as number;
  let k = (t.start[i] as number) + (t.text.charCodeAt(t.start[i] as number) === 0x23 ? 1 : 2);
  let said = 0;
  for (; k < end; k++) {
    const c = t.text.charCodeAt(k);
    if (c === 32 || c === 9 || c === 13) continue;
    // What attackers put after the comment opener: MySQL's required space as -, + or a NUL.
    if ((c !== 0x2d && c !== 0x2b && c !== 0x3b && c !== 0) || ++said > 3) return false;
  }
  return true;
}

/** @@version, or version() / user() / db_name(), alone (a comment may follow). */
function isLoneServerFact(t: SqlTokens, g: SqlGrammar): boolean {
  let j = 0;
  if (t.typeAt(0) === TokenType.Variable) {
    if ((t.flagsAt(0) & TokenFlag.Info) === 0) return false;
    j = 1;
  } else if (t.typeAt(0) === TokenType.Function && (t.flagsAt(0) & TokenFlag.Info) !== 0) {
    g.p = 0;
    if (g.call() === Operand.Fail) return false;
    j = g.p;
  } else {
    return false;
  }
  return j >= t.count || t.typeAt(j) === TokenType.Comment;
}

/**
 * After the breaking quote: only operators and literals, ending with the lone quote the
 * application's own quote closes ('-', '||', ' or ''-', 1'||'). It must start at the quote,
 * hold a string, or be a logic or comparison with no number: "5'-6'" and "5' or 6'" are feet.
 */
function isLiteralArithmetic(t: SqlTokens): boolean {
  const last = t.count - 1;
  if (last < 2 || t.typeAt(last) !== TokenType.String || (t.flagsAt(last) & TokenFlag.Open) === 0 || t.lengthAt(last) !== 1) return false;
  let operators = 0;
  let logic = false;
  let strings = false;
  let numbers = false;
  for (let i = 1; i < last; i++) {
    const ty = t.typeAt(i);
    if (ty === TokenType.Operator || ty === TokenType.Logic) {
      operators++;
      if (ty === TokenType.Logic || (t.flagsAt(i) & TokenFlag.Compare) !== 0) logic = true;
    } else if (ty === TokenType.String) {
      strings = true;
    } else if (ty === TokenType.Number) {
      numbers = true;
    } else {
      return false;
    }
  }
  return operators > 0 && ((t.end[0] as number) === 1 || strings || (logic && !numbers));
}

/**
 * Whether the text before the breaking quote is one word (admin'--), as a login is, rather
 * than a sentence quoting a symbol ("Press '#' to dial").
 */
function isBareWordPrefix(t: SqlTokens): boolean {
  const end = (t.end[0] as number) - 1;
  for (let k = 0; k < end; k++) {
    if (!isLoginChar(t.text.charCodeAt(k))) return false;
  }
  return true;
}

/** Letters, digits and the . _ - @ + of user names and e-mail addresses. */
function isLoginChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x5f || c === 0x2d || c === 0x40 || c === 0x2b || c > 0x7f
  );
}

/** ORDER BY / GROUP BY list, HAVING condition, LIMIT n, PROCEDURE ANALYSE(): the clause is at p. */
function clause(t: SqlTokens, g: SqlGrammar): boolean {
  const kw = t.kwAt(g.p);
  g.p++;
  switch (kw) {
    case Kw.Order:
    case Kw.Group: {
      if (t.kwAt(g.p) !== Kw.By) return false;
      g.p++;
      if (t.typeAt(g.p) === TokenType.Number) g.sig |= Signal.ColumnProbe;
      for (;;) {
        if (g.expression() === Operand.Fail) return false;
        if (t.typeAt(g.p) === TokenType.Keyword && (g.wordIs(g.p, 'asc') || g.wordIs(g.p, 'desc'))) g.p++;
        if (t.typeAt(g.p) !== TokenType.Comma) return true;
        g.p++;
        if (g.p >= t.count || t.typeAt(g.p) === TokenType.Comment) return true; // ORDER BY 1,2,--
      }
    }
    case Kw.Having:
      if (g.expression() === Operand.Fail) return false;
      g.sig |= Signal.LogicTail;
      return true;
    case Kw.Limit:
    case Kw.Offset:
      if (t.typeAt(g.p) !== TokenType.Number) return false;
      g.p++;
      if ((t.typeAt(g.p) === TokenType.Comma || t.kwAt(g.p) === Kw.Offset) && t.typeAt(g.p + 1) === TokenType.Number) g.p += 2;
      return true;
    case Kw.Procedure:
      // PROCEDURE ANALYSE(): MySQL describes the result's columns.
      if (t.typeAt(g.p) !== TokenType.Function) return false;
      g.sig |= Signal.ColumnProbe;
      return g.call() !== Operand.Fail;
    default:
      return false;
  }
}

/** Constructs that are attacks wherever they stand in the stream. */
function judgeAnywhere(t: SqlTokens, g: SqlGrammar): Verdict | undefined {
  for (let j = t.context === 0 ? 0 : 1; j < t.count; j++) {
    const ty = t.typeAt(j);
    g.sig = 0;
    if (ty === TokenType.Union) {
      g.p = j;
      if (g.unionSelect() && g.isStrongSelect()) return verdict(t, 'union', 0.9, t.start[j] as number, g.p);
    } else if (ty === TokenType.Semicolon) {
      g.p = j + 1;
      if (g.statement()) return verdict(t, 'stacked', 0.85, t.start[j] as number, t.count);
    } else if (ty === TokenType.Function) {
      const found = dangerousCall(t, g, j);
      if (found !== undefined) return found;
    } else if (ty === TokenType.Statement) {
      const kw = t.kwAt(j);
      g.p = j;
      if (kw === Kw.Waitfor && g.statement()) return verdict(t, 'time', 0.85, t.start[j] as number, j + 3);
      if (kw === Kw.Exec && t.flagsAt(j + 1) & TokenFlag.Exec && g.statement()) {
        return verdict(t, 'exec', 0.85, t.start[j] as number, j + 2);
      }
      // DECLARE @q ...: only T-SQL batches declare variables.
      if (kw === Kw.Declare && t.typeAt(j + 1) === TokenType.Variable) return verdict(t, 'stacked', 0.7, t.start[j] as number, j + 2);
    } else if (ty === TokenType.LeftParen && t.typeAt(j + 1) === TokenType.Select && startsOperand(t, j)) {
      // (SELECT ...) where a value goes: a scalar sub-query as the value itself.
      g.p = j;
      if (g.parenthesised() !== Operand.Fail && g.isStrongSelect()) return verdict(t, 'concat', 0.75, t.start[j] as number, g.p);
    } else if (ty === TokenType.Select && t.typeAt(j - 1) !== TokenType.LeftParen) {
      g.p = j;
      if (g.select() && isWholeQuery(t, g)) return verdict(t, 'raw_query', 0.7, t.start[j] as number, g.p);
    }
  }
  return undefined;
}

/**
 * A SELECT ... FROM that reads the system catalog or selects *, or a SELECT of server facts:
 * a query where the API expected a value ("Select one from the list" is neither).
 */
function isWholeQuery(t: SqlTokens, g: SqlGrammar): boolean {
  if (g.shape.hasFrom) return (g.sig & (Signal.Catalog | Signal.Conditional)) !== 0 || g.shape.star;
  // SELECT @@version, SELECT user(), SELECT (CASE WHEN 1=2 ...): asking the server about itself, or a blind test.
  return (g.sig & (Signal.Info | Signal.Conditional)) !== 0 && (g.p >= t.count || t.typeAt(g.p) === TokenType.Comment);
}

/**
 * The value is one expression that tests literals inside itself: IIF(3=4,1,1/0), ELT(3=4,1),
 * (3=4)*7, (CASE WHEN 3=4 THEN 1 ELSE NULL END). That is a blind probe put where the query
 * takes a number or a column (sqlmap's "parameter replace"), or added to a column list after
 * the original value (1,IIF(...)). Prose never parses as one expression with a test inside.
 */
function judgeInlineCondition(t: SqlTokens, g: SqlGrammar): Verdict | undefined {
  let i = 0;
  // After the original value (a number, or the closed string) the test is a column added to a list.
  // ORDER BY name,(CASE ...): a sort column comes first, as a bare name.
  if (t.context !== 0 || t.typeAt(0) === TokenType.Number || t.typeAt(0) === TokenType.Bareword) {
    i = 1;
    while (t.typeAt(i) === TokenType.RightParen) i++;
    if (t.typeAt(i) !== TokenType.Comma) return undefined;
    i++;
  }
  g.p = i;
  g.sig = 0;
  if (g.expression() === Operand.Fail) return undefined;
  // (3=4)*7 computes with the test's outcome; "(2+2=4)" alone is arithmetic homework.
  const tested = (g.sig & Signal.Conditional) !== 0 || ((g.sig & Signal.ParenCompare) !== 0 && hasOuterOperator(t, i, g.p));
  if (!tested) return undefined;
  // What may follow: the query's own closing (AND (1=1 ...) and a comment.
  if (t.typeAt(g.p) === TokenType.Logic) {
    g.p++;
    if (g.expression() === Operand.Fail) return undefined;
  }
  if (t.typeAt(g.p) === TokenType.Comment) g.p++;
  if (g.p < t.count) return undefined;
  return verdict(t, 'inline', 0.75, t.start[i] as number, g.p);
}

/** Whether tokens [from, to) hold an operator outside every parenthesis. */
function hasOuterOperator(t: SqlTokens, from: number, to: number): boolean {
  let depth = 0;
  for (let k = from; k < to; k++) {
    const ty = t.typeAt(k);
    if (ty === TokenType.LeftParen) depth++;
    else if (ty === TokenType.RightParen) depth--;
    else if (depth === 0 && ty === TokenType.Operator) return true;
  }
  return false;
}

/** SLEEP(5), EXTRACTVALUE(1, ...), XP_CMDSHELL('dir'): a dangerous primitive called with SQL arguments. */
function dangerousCall(t: SqlTokens, g: SqlGrammar, j: number): Verdict | undefined {
  const flags = t.flagsAt(j);
  if ((flags & (TokenFlag.Time | TokenFlag.ErrorLeak | TokenFlag.Exec)) === 0) return undefined;
  g.p = j;
  if (g.call() !== Operand.Computed) return undefined;
  const start = t.start[j] as number;
  const s = g.sig;
  if (s & Signal.Time) return verdict(t, 'time', 0.85, start, g.p);
  if (s & Signal.Exec) return verdict(t, 'exec', 0.85, start, g.p);
  if (s & Signal.ErrorLeak) return verdict(t, 'error', 0.85, start, g.p);
  const argument = t.typeAt(j + 2);
  const tight = (flags & TokenFlag.SpacedCall) === 0;
  // SLEEP(5) alone; "Sleep (8 hours)" is prose and never parses this far.
  if (s & Signal.SoftTime && tight && (argument === TokenType.Number || s & (Signal.Subselect | Signal.Info))) {
    return verdict(t, 'time', 0.7, start, g.p);
  }
  if (s & Signal.SoftErrorLeak && s & (Signal.Subselect | Signal.Info)) return verdict(t, 'error', 0.75, start, g.p);
  // CONVERT(int, ...): MSSQL's conversion error leaks the converted text.
  if (s & Signal.SoftErrorLeak && tight && isSqlTypeName(g, j + 2)) return verdict(t, 'error', 0.7, start, g.p);
  return undefined;
}

const TYPE_NAMES = ['int', 'integer', 'bigint', 'smallint', 'varchar', 'nvarchar', 'numeric', 'decimal'];

function isSqlTypeName(g: SqlGrammar, i: number): boolean {
  for (const name of TYPE_NAMES) if (g.wordIs(i, name)) return true;
  return false;
}

/**
 * Whether token j stands where a value starts: first in the value, after an operator or comma,
 * or as a call's first argument (SUBSTRING((SELECT ...),1,1)).
 */
function startsOperand(t: SqlTokens, j: number): boolean {
  if (j === (t.context === 0 ? 0 : 1)) return true;
  const before = t.typeAt(j - 1);
  if (before === TokenType.LeftParen) return t.typeAt(j - 2) === TokenType.Function;
  return before === TokenType.Operator || before === TokenType.Logic || before === TokenType.Comma;
}
