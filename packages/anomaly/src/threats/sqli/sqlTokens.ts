// The token classes the SQL injection engine reasons about. Like libinjection, the detector
// never asks "does this text match an attack?"; it asks "read as SQL from this quote context,
// what kinds of tokens does it become, and is that sequence an injection?".

export enum TokenType {
  /** '...' or "..." literal; `open` when the input ended inside it. */
  String = 1,
  /** 123, 1.5e3, 0x41, 0b101. */
  Number,
  /** NULL, TRUE, FALSE, CURRENT_USER: keywords that are values. */
  Literal,
  /** An identifier the keyword table does not know (table, column, English word). */
  Bareword,
  /** @name, @@version. */
  Variable,
  /** A keyword with no class of its own: FROM, WHERE, AS, TABLE, DELAY ... */
  Keyword,
  /** UNION, INTERSECT, EXCEPT, MINUS. */
  Union,
  /** SELECT. */
  Select,
  /** Keywords that start a statement: DROP, INSERT, EXEC, DECLARE, WAITFOR ... */
  Statement,
  /** ORDER, GROUP, HAVING, LIMIT, OFFSET, PROCEDURE. */
  Clause,
  /** A name directly followed by `(`, or a known function name. */
  Function,
  /** = < > + - * / % ^ | & ~ and word operators LIKE, IN, BETWEEN, IS, REGEXP ... */
  Operator,
  /** AND, OR, XOR, &&, ||. */
  Logic,
  /** NOT, !. */
  Not,
  LeftParen,
  RightParen,
  Comma,
  Semicolon,
  Dot,
  /** A comment that runs to the end of the line or input: --, #, or an unterminated /*. */
  Comment,
  /** Anything SQL has no use for: { } [ ] ? \ : and friends. */
  Other,
}

/** One letter per type, used in fingerprints (`s&1o1c` reads "string, or, 1 = 1, comment"). */
export const TOKEN_LETTER: Readonly<Record<TokenType, string>> = {
  [TokenType.String]: 's',
  [TokenType.Number]: '1',
  [TokenType.Literal]: 'n',
  [TokenType.Bareword]: 'b',
  [TokenType.Variable]: 'v',
  [TokenType.Keyword]: 'k',
  [TokenType.Union]: 'U',
  [TokenType.Select]: 'E',
  [TokenType.Statement]: 'T',
  [TokenType.Clause]: 'B',
  [TokenType.Function]: 'f',
  [TokenType.Operator]: 'o',
  [TokenType.Logic]: '&',
  [TokenType.Not]: '!',
  [TokenType.LeftParen]: '(',
  [TokenType.RightParen]: ')',
  [TokenType.Comma]: ',',
  [TokenType.Semicolon]: ';',
  [TokenType.Dot]: '.',
  [TokenType.Comment]: 'c',
  [TokenType.Other]: '?',
};

/** Per-token facts, as bits, that come from the keyword table or from lexing. */
export const TokenFlag = {
  /** A comparison: = <> != < > <= >= <=> LIKE IN IS BETWEEN REGEXP GLOB ... */
  Compare: 1 << 0,
  /** Time delay primitive: SLEEP, BENCHMARK, PG_SLEEP, DBMS_LOCK.SLEEP, RANDOMBLOB ... */
  Time: 1 << 1,
  /** Used to force an error that leaks data: EXTRACTVALUE, UPDATEXML, XMLTYPE ... */
  ErrorLeak: 1 << 2,
  /** Reaches files, the OS or the network: LOAD_FILE, XP_CMDSHELL, UTL_HTTP.REQUEST ... */
  Exec: 1 << 3,
  /** Tells who or what the database is: VERSION(), USER(), @@VERSION, DATABASE() ... */
  Info: 1 << 4,
  /** A time or error primitive that is also an ordinary word, needing more evidence alone. */
  Soft: 1 << 5,
  /** Becomes a Function when directly followed by `(` (LEFT, IF, REPLACE, CHAR ...). */
  Callable: 1 << 6,
  /** As Callable, but only with no space before the `(` (LIKE('a'...) in SQLite). */
  CallableTight: 1 << 7,
  /** The string or comment ran to the end of the input. */
  Open: 1 << 8,
  /** The string that the quote context started: the text before the breaking quote. */
  Prefix: 1 << 9,
  /** System catalog: INFORMATION_SCHEMA, SYSOBJECTS, PG_CATALOG, ALL_TABLES ... */
  Catalog: 1 << 10,
  /** Object kinds that follow DROP / CREATE / ALTER / TRUNCATE: TABLE, DATABASE, USER ... */
  ObjectKind: 1 << 11,
  /** A space came between a function name and its `(`. */
  SpacedCall: 1 << 12,
} as const;

/** Keywords the judge treats one by one. */
export enum Kw {
  None = 0,
  All,
  Distinct,
  By,
  From,
  Into,
  Set,
  As,
  Delay,
  Time,
  Case,
  End,
  If,
  Exists,
  Outfile,
  Dumpfile,
  Where,
  Top,
  Values,
  Order,
  Group,
  Having,
  Limit,
  Offset,
  Procedure,
  Drop,
  Create,
  Alter,
  Truncate,
  Insert,
  Update,
  Delete,
  Exec,
  Declare,
  Shutdown,
  Waitfor,
  Grant,
  Copy,
  Attach,
  Load,
  Call,
  Do,
  Begin,
  Replace,
  Merge,
  Rename,
  Use,
  Kill,
  Null,
  True,
  False,
  Between,
  Is,
  In,
  Like,
  Dual,
  Program,
  Sounds,
  With,
  Describe,
  Show,
}
