// A small, forgiving SQL grammar over a token list: expressions, function calls, SELECT and
// the statements an attacker stacks. It does not build a tree; it answers "does SQL continue
// validly from here, and how far?" and notes what it passed (comparisons, sub-selects,
// dangerous functions) as signal bits for the judge.
import type { SqlTokens } from './sqlTokenizer';
import { Kw, TokenFlag, TokenType } from './sqlTokens';

/** What the grammar saw while reading a stretch of tokens. */
export const Signal = {
  Compare: 1 << 0,
  /** A comparison of two values or computed things (1=1, 'a'='a', ascii(..)>64), not a=b. */
  HardCompare: 1 << 1,
  /** OR 1, OR TRUE: a bare truthy value after a logic operator. */
  Truthy: 1 << 2,
  Time: 1 << 3,
  SoftTime: 1 << 4,
  ErrorLeak: 1 << 5,
  SoftErrorLeak: 1 << 6,
  Exec: 1 << 7,
  Info: 1 << 8,
  Subselect: 1 << 9,
  Union: 1 << 10,
  Stacked: 1 << 11,
  /** A statement after the break with no `;` (MSSQL batches: ' WAITFOR DELAY ...). */
  Batch: 1 << 12,
  CommentEnd: 1 << 13,
  Catalog: 1 << 14,
  OutFile: 1 << 15,
  /** ORDER BY 3 / GROUP BY 1,2: counting columns. */
  ColumnProbe: 1 << 16,
  LogicTail: 1 << 17,
  ConcatTail: 1 << 18,
  /** AND 0, AND FALSE: a bare false value after a logic operator (the other half of a blind test). */
  Falsy: 1 << 19,
  /** A logic operator's operand was computed: a call, a sub-select, a variable. */
  Computed: 1 << 20,
  /** A test inside an expression: 1=2 within a call's arguments, or CASE WHEN. */
  Conditional: 1 << 21,
  /** 1=2 within parentheses that are not a call's. */
  ParenCompare: 1 << 22,
} as const;

/** How much an operand says: a plain name, a literal value, or something computed. */
export enum Operand {
  Fail = 0,
  Name = 1,
  Value = 2,
  Computed = 3,
}

const MAX_DEPTH = 24;

export interface SelectShape {
  items: number;
  /** An item was a literal or computed (SELECT 1, SELECT version()), not just a name. */
  strongItem: boolean;
  star: boolean;
  hasFrom: boolean;
}

/** The signal bits a function's keyword flags stand for. */
export function functionSignals(flags: number): number {
  let s = 0;
  const soft = (flags & TokenFlag.Soft) !== 0;
  if (flags & TokenFlag.Time) s |= soft ? Signal.SoftTime : Signal.Time;
  if (flags & TokenFlag.ErrorLeak) s |= soft ? Signal.SoftErrorLeak : Signal.ErrorLeak;
  if (flags & TokenFlag.Exec) s |= soft ? Signal.SoftErrorLeak : Signal.Exec;
  if (flags & TokenFlag.Info) s |= Signal.Info;
  return s;
}

export class SqlGrammar {
  t: SqlTokens;
  /** Read position (token index). */
  p = 0;
  /** Signals gathered since the caller last cleared them. */
  sig = 0;
  private depth = 0;
  /** How many call argument lists the reader is inside. */
  private callDepth = 0;
  readonly shape: SelectShape = { items: 0, strongItem: false, star: false, hasFrom: false };

  constructor(tokens: SqlTokens) {
    this.t = tokens;
  }

  at(i: number): TokenType | 0 {
    return this.t.typeAt(i);
  }

  /** Whether token i is the word `word` (lower case), in any case. */
  wordIs(i: number, word: string): boolean {
    const t = this.t;
    if (i >= t.count || t.lengthAt(i) !== word.length) return false;
    const start = t.start[i] as number;
    for (let k = 0; k < word.length; k++) {
      const c = t.text.charCodeAt(start + k);
      if ((c >= 65 && c <= 90 ? c | 32 : c) !== word.charCodeAt(k)) return false;
    }
    return true;
  }

  isOperatorChar(i: number, c: number): boolean {
    return this.at(i) === TokenType.Operator && this.t.lengthAt(i) === 1 && this.t.charAt(i) === c;
  }

  /** A number that is not zero: OR 1 is always true, OR 0 is not. */
  isTruthy(i: number): boolean {
    const t = this.t;
    const ty = t.typeAt(i);
    if (ty === TokenType.Literal) return t.kwAt(i) === Kw.True;
    const start = t.start[i] as number;
    if (ty === TokenType.String) {
      // '1' is true once MySQL casts it; 'a' is not.
      const c = t.text.charCodeAt(start + 1);
      return c >= 49 && c <= 57;
    }
    if (ty !== TokenType.Number) return false;
    const end = t.end[i] as number;
    for (let k = start; k < end; k++) {
      const c = t.text.charCodeAt(k);
      if (c >= 49 && c <= 57) return true;
    }
    return false;
  }

  /**
   * Truthy or Falsy when tokens [from, to) are one literal behind unary operators
   * (1, 'a', TRUE, NOT 0, ~0, !1, -1), else 0.
   */
  literalTruth(from: number, to: number): number {
    const last = to - 1;
    if (last < from) return 0;
    let negations = 0;
    let complement = false;
    for (let i = from; i < last; i++) {
      if (this.at(i) === TokenType.Not) negations++;
      else if (this.isOperatorChar(i, 0x7e)) complement = true;
      else if (!this.isOperatorChar(i, 0x2d) && !this.isOperatorChar(i, 0x2b)) return 0;
    }
    if (!this.isTruthy(last) && !this.isFalsy(last)) return 0;
    const truthy = (complement || this.isTruthy(last)) !== (negations % 2 === 1);
    return truthy ? Signal.Truthy : Signal.Falsy;
  }

  isFalsy(i: number): boolean {
    const t = this.t;
    const ty = t.typeAt(i);
    if (ty === TokenType.Literal) return t.kwAt(i) === Kw.False || t.kwAt(i) === Kw.Null;
    return ty === TokenType.Number && !this.isTruthy(i);
  }

  operand(): Operand {
    if (this.depth > MAX_DEPTH) return Operand.Fail;
    const t = this.t;
    for (;;) {
      const ty = this.at(this.p);
      if (ty === TokenType.Not) this.p++;
      else if (this.isOperatorChar(this.p, 0x2d) || this.isOperatorChar(this.p, 0x2b) || this.isOperatorChar(this.p, 0x7e)) this.p++;
      else break;
    }
    const i = this.p;
    switch (this.at(i)) {
      case TokenType.Number:
        this.p++;
        return Operand.Value;
      case TokenType.String:
        // 'a' 'b' is one literal in MySQL and standard SQL.
        this.p++;
        while (this.at(this.p) === TokenType.String) this.p++;
        return Operand.Value;
      case TokenType.Literal:
        this.p++;
        if (t.flagsAt(i) & TokenFlag.Info) {
          this.sig |= Signal.Info;
          return Operand.Computed;
        }
        return Operand.Value;
      case TokenType.Variable:
        this.p++;
        if (t.flagsAt(i) & TokenFlag.Info) this.sig |= Signal.Info;
        return Operand.Computed;
      case TokenType.Bareword:
        this.p++;
        if (t.flagsAt(i) & TokenFlag.Catalog) this.sig |= Signal.Catalog;
        return Operand.Name;
      case TokenType.Function:
        return this.call();
      case TokenType.LeftParen:
        return this.parenthesised();
      case TokenType.Keyword:
        if (t.kwAt(i) === Kw.Case) return this.caseExpression();
        if (t.kwAt(i) === Kw.Exists && this.at(i + 1) === TokenType.LeftParen) {
          this.p++;
          return this.parenthesised() === Operand.Fail ? Operand.Fail : Operand.Computed;
        }
        return Operand.Fail;
      default:
        return Operand.Fail;
    }
  }

  /** operand (operator operand)*, stopping before anything that does not continue it. */
  expression(): Operand {
    let left = this.operand();
    if (left === Operand.Fail) return Operand.Fail;
    let best = left;
    for (;;) {
      const i = this.p;
      let op = i;
      let ty = this.at(i);
      if (ty === TokenType.Not && this.at(i + 1) === TokenType.Operator && (this.t.flagsAt(i + 1) & TokenFlag.Compare) !== 0) {
        op = i + 1; // NOT LIKE, NOT IN, NOT BETWEEN
        ty = TokenType.Operator;
      }
      if (ty !== TokenType.Operator && ty !== TokenType.Logic) break;
      this.p = op + 1;
      const kw = this.t.kwAt(op);
      if (kw === Kw.Is && this.at(this.p) === TokenType.Not) this.p++;
      else if (kw === Kw.Sounds && this.t.kwAt(this.p) === Kw.Like) this.p++;
      else if (this.wordIs(op, 'similar') && this.wordIs(this.p, 'to')) this.p++;
      const right = this.operand();
      if (right === Operand.Fail) {
        this.p = i;
        break;
      }
      if (this.t.flagsAt(op) & TokenFlag.Compare) {
        this.sig |= Signal.Compare;
        if (left >= Operand.Value && right >= Operand.Value) {
          this.sig |= Signal.HardCompare;
          if (this.callDepth > 0) this.sig |= Signal.Conditional;
          else if (this.depth > 0) this.sig |= Signal.ParenCompare;
        }
      }
      if (right > best) best = right;
      left = right;
    }
    return best;
  }

  /** name(args) with forgiving arguments: CAST(x AS int), SUBSTRING(x FROM 1 FOR 1), COUNT(*). */
  call(): Operand {
    const i = this.p;
    const flags = this.t.flagsAt(i);
    this.p++;
    if (this.at(this.p) !== TokenType.LeftParen) return Operand.Name;
    this.p++;
    this.depth++;
    this.callDepth++;
    const ok = this.arguments();
    this.callDepth--;
    this.depth--;
    if (!ok) return Operand.Fail;
    this.sig |= functionSignals(flags);
    return Operand.Computed;
  }

  private arguments(): boolean {
    if (this.at(this.p) === TokenType.RightParen) {
      this.p++;
      return true;
    }
    for (;;) {
      const ty = this.at(this.p);
      if (ty === 0 || ty === TokenType.Comment) return true; // cut short by the end of input
      if (ty === TokenType.RightParen) {
        this.p++;
        return true;
      }
      if (ty === TokenType.Keyword) {
        this.p++;
        continue;
      }
      if (ty === TokenType.Select) {
        if (!this.select()) return false;
        this.sig |= Signal.Subselect;
      } else if (this.isOperatorChar(this.p, 0x2a)) {
        this.p++;
      } else if (this.expression() === Operand.Fail) {
        return false;
      }
      const next = this.at(this.p);
      if (next === TokenType.Comma) {
        this.p++;
      } else if (next === TokenType.RightParen) {
        this.p++;
        return true;
      } else if (next !== 0 && next !== TokenType.Comment && next !== TokenType.Keyword) {
        return false;
      }
    }
  }

  /** ( select ... ) or ( expr, expr ... ). An unclosed paren at the end of input is fine: the query closes it. */
  parenthesised(): Operand {
    this.p++;
    this.depth++;
    let kind: Operand;
    if (this.at(this.p) === TokenType.Select) {
      kind = this.select() ? Operand.Computed : Operand.Fail;
      if (kind !== Operand.Fail) this.sig |= Signal.Subselect;
    } else {
      kind = this.expression();
      while (kind !== Operand.Fail && this.at(this.p) === TokenType.Comma) {
        this.p++;
        kind = this.expression();
      }
    }
    this.depth--;
    if (kind === Operand.Fail) return Operand.Fail;
    const ty = this.at(this.p);
    if (ty === TokenType.RightParen) this.p++;
    else if (ty !== 0 && ty !== TokenType.Comment) return Operand.Fail;
    return kind;
  }

  /** CASE ... END, read loosely: what matters is what it calls. */
  private caseExpression(): Operand {
    let nesting = 0;
    while (this.p < this.t.count) {
      const i = this.p++;
      const kw = this.t.kwAt(i);
      if (kw === Kw.Case) nesting++;
      else if (kw === Kw.End && --nesting === 0) return Operand.Computed;
      else if (this.wordIs(i, 'when')) this.sig |= Signal.Conditional;
      else this.noteToken(i);
    }
    return Operand.Computed;
  }

  /** Signals of a token passed over without parsing it closely. */
  private noteToken(i: number): void {
    const t = this.t;
    const ty = t.typeAt(i);
    const flags = t.flagsAt(i);
    if (ty === TokenType.Function && this.at(i + 1) === TokenType.LeftParen) this.sig |= functionSignals(flags);
    else if (ty === TokenType.Variable && (flags & TokenFlag.Info) !== 0) this.sig |= Signal.Info;
    else if (ty === TokenType.Literal && (flags & TokenFlag.Info) !== 0) this.sig |= Signal.Info;
    else if (ty === TokenType.Select) this.sig |= Signal.Subselect;
    else if (flags & TokenFlag.Catalog) this.sig |= Signal.Catalog;
    else if (flags & TokenFlag.Compare) this.sig |= Signal.Compare;
  }

  /**
   * SELECT [ALL|DISTINCT|TOP n] list, then the rest read loosely up to the end of this query.
   * The list must be followed by a clause boundary, which is what tells SQL from English
   * ("select the blue one" stops at "one").
   */
  select(): boolean {
    const t = this.t;
    this.p++;
    for (;;) {
      const kw = t.kwAt(this.p);
      if (kw === Kw.All || kw === Kw.Distinct) this.p++;
      else if (kw === Kw.Top && this.at(this.p + 1) === TokenType.Number) this.p += 2;
      else break;
    }
    let items = 0;
    let strongItem = false;
    let star = false;
    // ' UNION SELECT and nothing more: a probe cut short, or the query's own columns follow.
    const cutShort = this.at(this.p) === 0 || this.at(this.p) === TokenType.Comment;
    while (!cutShort) {
      if (this.isOperatorChar(this.p, 0x2a)) {
        this.p++;
        star = true;
      } else if (this.at(this.p) === TokenType.Bareword && this.at(this.p + 1) === TokenType.Dot && this.isOperatorChar(this.p + 2, 0x2a)) {
        this.p += 3;
        star = true;
      } else {
        const kind = this.expression();
        if (kind === Operand.Fail) return false;
        if (kind >= Operand.Value) strongItem = true;
        if (t.kwAt(this.p) === Kw.As) this.p++;
        const alias = this.at(this.p);
        if (alias === TokenType.Bareword || (alias === TokenType.String && t.kwAt(this.p - 1) === Kw.As)) this.p++;
      }
      items++;
      if (this.at(this.p) !== TokenType.Comma) break;
      this.p++;
    }
    const next = this.at(this.p);
    const kw = t.kwAt(this.p);
    const boundary =
      next === 0 ||
      next === TokenType.RightParen ||
      next === TokenType.Semicolon ||
      next === TokenType.Comment ||
      next === TokenType.Union ||
      next === TokenType.Clause ||
      kw === Kw.From ||
      kw === Kw.Into ||
      kw === Kw.Where;
    if (!boundary) return false;
    const hasFrom = this.skipToQueryEnd();
    const shape = this.shape;
    shape.items = items;
    shape.strongItem = strongItem;
    shape.star = star;
    shape.hasFrom = hasFrom;
    return true;
  }

  /** Passes FROM / WHERE / ... up to this query's end (an unmatched `)`, `;`, a comment or the input's end). */
  private skipToQueryEnd(): boolean {
    const t = this.t;
    let nesting = 0;
    let hasFrom = false;
    while (this.p < t.count) {
      const i = this.p;
      const ty = t.typeAt(i);
      if (ty === TokenType.LeftParen) nesting++;
      else if (ty === TokenType.RightParen) {
        if (nesting === 0) break;
        nesting--;
      } else if (ty === TokenType.Semicolon || ty === TokenType.Comment) {
        if (nesting === 0) break;
      } else {
        const kw = t.kwAt(i);
        if (kw === Kw.From) hasFrom = true;
        else if (kw === Kw.Outfile || kw === Kw.Dumpfile) this.sig |= Signal.OutFile;
        else this.noteToken(i);
      }
      this.p++;
    }
    return hasFrom;
  }

  /** UNION [ALL|DISTINCT] [(] SELECT ...: the UNION token is at p. */
  unionSelect(): boolean {
    this.p++;
    const kw = this.t.kwAt(this.p);
    if (kw === Kw.All || kw === Kw.Distinct) this.p++;
    while (this.at(this.p) === TokenType.LeftParen) this.p++;
    return this.at(this.p) === TokenType.Select && this.select();
  }

  /**
   * A statement starting at p (after a `;`, or straight after a break in a MSSQL batch), held to
   * the shape the statement really has, so "; drop by later" or "; select the blue one" is not one.
   */
  statement(): boolean {
    const t = this.t;
    const i = this.p;
    const ty = this.at(i);
    if (ty === TokenType.Select) return this.select() && this.isStrongSelect();
    const kw = t.kwAt(i);
    const n1 = this.at(i + 1);
    const kw1 = t.kwAt(i + 1);
    const objectKind = (t.flagsAt(i + 1) & TokenFlag.ObjectKind) !== 0;
    this.p = i + 1;
    switch (kw) {
      case Kw.Insert:
      case Kw.Replace:
      case Kw.Merge:
        return kw1 === Kw.Into && (this.at(i + 2) === TokenType.Bareword || this.at(i + 2) === TokenType.Function);
      case Kw.Update:
        return n1 === TokenType.Bareword && t.kwAt(i + 2) === Kw.Set;
      case Kw.Delete:
        return kw1 === Kw.From || (n1 === TokenType.Bareword && t.kwAt(i + 2) === Kw.Where);
      case Kw.Drop:
      case Kw.Create:
      case Kw.Alter:
      case Kw.Rename:
        // DROP TABLE users, CREATE OR REPLACE ...; not "drop table and 4 chairs".
        return (objectKind && this.isObjectName(i + 2)) || (kw === Kw.Create && this.wordIs(i + 1, 'or'));
      case Kw.Truncate:
        return (objectKind && this.isObjectName(i + 2)) || (n1 === TokenType.Bareword && this.endsStatement(i + 2));
      case Kw.Describe:
        return n1 === TokenType.Bareword && this.endsStatement(i + 2);
      case Kw.Show:
        return this.wordIs(i + 1, 'tables') || this.wordIs(i + 1, 'databases') || this.wordIs(i + 1, 'grants') || this.wordIs(i + 1, 'variables');
      case Kw.Exec:
        return this.isExecTarget(i + 1);
      case Kw.Declare:
        return n1 === TokenType.Variable;
      case Kw.Shutdown:
        return this.endsStatement(i + 1) || kw1 === Kw.With;
      case Kw.Waitfor:
        return (kw1 === Kw.Delay || kw1 === Kw.Time) && (this.at(i + 2) === TokenType.String || this.at(i + 2) === TokenType.Variable);
      case Kw.Grant:
        return kw1 === Kw.All || n1 === TokenType.Select || n1 === TokenType.Statement;
      case Kw.Copy:
        return (n1 === TokenType.Bareword && (t.kwAt(i + 2) === Kw.From || this.wordIs(i + 2, 'to'))) || (n1 === TokenType.LeftParen && this.at(i + 2) === TokenType.Select);
      case Kw.Attach:
        return (kw1 === Kw.None && this.wordIs(i + 1, 'database')) && this.at(i + 2) === TokenType.String;
      case Kw.Load:
        return this.wordIs(i + 1, 'data') && (this.wordIs(i + 2, 'infile') || this.wordIs(i + 2, 'local'));
      case Kw.Call:
      case Kw.Do:
        return n1 === TokenType.Function;
      case Kw.Begin:
        return n1 === TokenType.Function || n1 === TokenType.Statement || n1 === TokenType.Select;
      case Kw.Use:
        return n1 === TokenType.Bareword && this.endsStatement(i + 2);
      case Kw.Kill:
        return n1 === TokenType.Number && this.endsStatement(i + 2);
      case Kw.Set:
        return n1 === TokenType.Variable && this.at(i + 2) === TokenType.Operator;
      case Kw.If: {
        // MSSQL: IF (condition) WAITFOR ... / IF 1=1 EXEC ...
        this.p = i + 1;
        if (this.expression() === Operand.Fail) return false;
        const at = this.p;
        return (this.at(at) === TokenType.Statement || this.at(at) === TokenType.Select) && this.statementAt(at);
      }
      default:
        return false;
    }
  }

  private statementAt(i: number): boolean {
    this.p = i;
    return this.statement();
  }

  /** A SELECT that reads data or calls something, not one bare name. */
  isStrongSelect(): boolean {
    const s = this.shape;
    return s.hasFrom || s.star || s.strongItem || s.items > 1;
  }

  /**
   * The name after DROP TABLE: an identifier (maybe IF EXISTS first, or a definition's `(`). A
   * quoted name counts only when the value closes it: in `"drop table" meaning` the "name" is
   * the application's own string, which only a search phrase leaves open.
   */
  private isObjectName(i: number): boolean {
    const ty = this.at(i);
    if (ty === TokenType.String) return (this.t.flagsAt(i) & TokenFlag.Open) === 0;
    return ty === TokenType.Bareword || ty === TokenType.Function || this.t.kwAt(i) === Kw.If;
  }

  private endsStatement(i: number): boolean {
    const ty = this.at(i);
    return ty === 0 || ty === TokenType.Semicolon || ty === TokenType.Comment;
  }

  /** EXEC xp_cmdshell 'dir', EXEC master..xp_cmdshell, EXEC(@q), EXECUTE IMMEDIATE '...', EXEC sp_who. */
  private isExecTarget(i: number): boolean {
    const t = this.t;
    const ty = t.typeAt(i);
    if (ty === TokenType.Function || ty === TokenType.Variable || ty === TokenType.LeftParen) return true;
    if (ty === TokenType.Keyword) return this.wordIs(i, 'immediate');
    if (ty !== TokenType.Bareword) return false;
    const start = t.start[i] as number;
    const end = t.end[i] as number;
    for (let k = start; k < end; k++) {
      const c = t.text.charCodeAt(k);
      if (c === 0x5f || c === 0x2e) return true; // procedure names: sp_who, dbo.proc
    }
    const after = t.typeAt(i + 1);
    return after === TokenType.String || after === TokenType.Variable;
  }
}
