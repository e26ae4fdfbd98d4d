import { lookupKeyword, keywordType } from './sqlKeywords';
import { SqlTokens, tokenizeSql, MAX_TOKENS, type QuoteContext } from './sqlTokenizer';
import { TOKEN_LETTER, TokenFlag, TokenType } from './sqlTokens';

function letters(text: string, context: QuoteContext = 0, plusIsSpace = false): string {
  const t = tokenizeSql(new SqlTokens(), text, context, plusIsSpace);
  let out = '';
  for (let i = 0; i < t.count; i++) out += TOKEN_LETTER[t.type[i] as TokenType];
  return out;
}

describe('lookupKeyword', () => {
  it('finds keywords in any case, in place', () => {
    const text = 'xx UnIoN yy';
    const i = lookupKeyword(text, 3, 8);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(keywordType(i)).toBe(TokenType.Union);
  });

  it('does not match prefixes or longer words', () => {
    expect(lookupKeyword('unions', 0, 6)).toBe(-1);
    expect(lookupKeyword('unio', 0, 4)).toBe(-1);
    expect(lookupKeyword('selected', 0, 8)).toBe(-1);
  });
});

describe('tokenizeSql', () => {
  it('classifies the tokens of a tautology in the single-quote context', () => {
    expect(letters("' OR 1=1--", 0x27)).toBe('s&1o1c');
    expect(letters("admin' or 'a'='a", 0x27)).toBe('s&sos');
  });

  it('reads the value bare in the numeric context', () => {
    expect(letters('1 UNION ALL SELECT NULL,2')).toBe('1Uk' + 'En,1');
    expect(letters('-1 or sleep(5)')).toBe('o1&f(1)');
  });

  it('keeps a value with no breaking quote as one open string in a quote context', () => {
    const t = tokenizeSql(new SqlTokens(), 'no quotes at all', 0x27);
    expect(t.count).toBe(1);
    expect(t.flags[0]! & TokenFlag.Open).toBeTruthy();
  });

  it('reads through MySQL version comments and skips inline comments', () => {
    const t = tokenizeSql(new SqlTokens(), '1 /*!50000UNION*/ /**/ /*!50000SELECT*/ 1', 0);
    expect(letters('1 /*!50000UNION*/ /**/ /*!50000SELECT*/ 1')).toBe('1UE1');
    expect(t.versionComments).toBe(2);
    expect(t.inlineComments).toBe(1);
  });

  it('ends with a comment token for --, # and an unterminated /*', () => {
    expect(letters("x' --", 0x27)).toBe('sc');
    expect(letters("x' #", 0x27)).toBe('sc');
    expect(letters("x' /* rest", 0x27)).toBe('sc');
  });

  it('joins qualified names and finds the function at their end', () => {
    expect(letters("dbms_pipe.receive_message('a',5)")).toBe('f(s,1)');
    expect(letters("exec master..xp_cmdshell 'dir'")).toBe('Tfs');
  });

  it('treats a word followed by ( as a function call', () => {
    expect(letters('count (1)')).toBe('f(1)');
    expect(letters('in (1)')).toBe('o(1)');
  });

  it('reads hex, exponent and plain numbers, and stops a number at a letter', () => {
    expect(letters('0x7e 1e5 3.5 .5')).toBe('1111');
    expect(letters('10am')).toBe('1b');
  });

  it('reads form-encoded spaces when asked', () => {
    expect(letters('1+union+select+1', 0, true)).toBe('1UE1');
    expect(letters('1+union+select+1', 0, false)).toBe('1oUoEo1');
  });

  it('does not let a backslash escape the breaking quote', () => {
    expect(letters("\\' or 1=1", 0x27)).toBe('s&1o1');
  });

  it('honours doubled quotes inside literals', () => {
    expect(letters("'it''s' = 'x'")).toBe('sos');
  });

  it('stops at the token limit', () => {
    const t = tokenizeSql(new SqlTokens(), '1,'.repeat(200), 0);
    expect(t.count).toBe(MAX_TOKENS);
  });

  it('marks what SQL has no use for as Other', () => {
    expect(letters('{a: [1]}')).toBe('?b??1??');
  });
});
