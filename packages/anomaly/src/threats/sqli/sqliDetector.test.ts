import { detectSqli } from './sqliDetector';

describe('detectSqli: attacks, by technique', () => {
  it.each([
    ["' OR 1=1--", 'boolean'],
    ["' or 'a'='a", 'boolean'],
    ['1 OR 1=1', 'boolean'],
    ["') or ('x'='x", 'boolean'],
    ['" or ""="', 'boolean'],
    ["' or username like '%", 'boolean'],
    ["1' AND ascii(substring(user(),1,1))>64--", 'boolean'],
    ["' UNION SELECT username,password FROM users--", 'UNION'],
    ['-1 union all select null,version()', 'UNION'],
    ["'/**/UNION/**/SELECT/**/1,2--", 'UNION'],
    ['1 /*!50000UNION*/ /*!50000SELECT*/ 1,2', 'UNION'],
    ['-1 UNION#x\nSELECT 1,2,3', 'UNION'],
    ['-1 UNION--\nSELECT 1,2,3', 'UNION'],
    ['-1 union distinctrow select 1,2,3--', 'UNION'],
    ["' and (SELECT * FROM [ODBC;DRIVER=SQL SERVER;Server=192.0.2.1;DATABASE=w].a.p)", 'sub-query'],
    // PostgreSQL: dollar quotes instead of quote characters, jsonb containment as the test.
    ['1 AND $$a$$=$$a$$', 'boolean'],
    ["' OR '{\"a\":1}'::jsonb @> '{\"a\":1}'--", 'boolean'],
    // MySQL's "1.e(" stands where a space would.
    ["1' or 1.e(1) or '1'='1", 'boolean'],
    ['1.e(ascii 1.e(substring(1.e(select password from users limit 1 1.e,1 1.e) 1.e,1 1.e) 1.e) 1.e) = 70', 'sub-query'],
    // A blind test added to a sort column list.
    ['name,(CASE WHEN (1=1) THEN 1 ELSE 1/0 END)', 'boolean test'],
    ["'; DROP TABLE users--", 'stacked'],
    ['1; EXEC xp_cmdshell \'dir\'', 'stacked'],
    ["'; DECLARE @q varchar(99); EXEC(@q)--", 'stacked'],
    ["' AND SLEEP(5)--", 'time-delay'],
    ['1 AND BENCHMARK(5000000,MD5(1))', 'time-delay'],
    ["'; SELECT pg_sleep(5)--", 'stacked'],
    ["1; WAITFOR DELAY '0:0:5'--", 'stacked'],
    ["' WAITFOR DELAY '0:0:5'--", 'stacked'],
    ["' || DBMS_PIPE.RECEIVE_MESSAGE('a',5)--", 'time-delay'],
    ["1 AND 1=LIKE('A',UPPER(HEX(RANDOMBLOB(500000000/2))))", 'time-delay'],
    ["' AND extractvalue(1,concat(0x7e,version()))--", 'error-forcing'],
    ['1 and updatexml(null,concat(0x0a,user()),null)', 'error-forcing'],
    ["' AND 1=CONVERT(int,@@version)--", 'error-forcing'],
    ["'||(SELECT version())||'", 'sub-query'],
    ['admin\'--', 'comment cuts off'],
    ["admin')#", 'comment cuts off'],
    ["' ORDER BY 3--", 'column'],
    ["' AND LOAD_FILE('/etc/passwd')--", 'files, the OS'],
    ['@@version', 'server fact'],
    // sqlmap's "parameter replace" and column-list probes: a test where a number or column goes.
    ['IIF(5880=3592,1,1/0)', 'stands in for the value'],
    ['ELT(6275=9134,8762)', 'stands in for the value'],
    ['(7896=4080)*6625', 'stands in for the value'],
    ['(CASE WHEN 4371=8093 THEN 4180 ELSE NULL END)', 'stands in for the value'],
    ['1 ,(CASE WHEN 4665=2339 THEN 1 ELSE NULL END)', 'stands in for the value'],
    ["1' ,IIF(7661=2199,1,1/0) -- -", 'stands in for the value'],
    ["SELECT 'qkpzq'||(CASE WHEN (6239=6007) THEN 1 ELSE 0 END)||'qvxjq'", 'whole SQL query'],
  ])('%s is reported (%s)', (value, reason) => {
    const match = detectSqli(value);
    expect(match).toBeDefined();
    expect(match?.reason).toContain(reason);
    expect(match?.confidence).toBeGreaterThan(0);
    expect(match?.confidence).toBeLessThanOrEqual(1);
  });

  it('names the quote context it broke out of', () => {
    expect(detectSqli("x' OR 1=1--")?.reason).toContain("'...' string");
    expect(detectSqli('x" OR 1=1--')?.reason).toContain('"..." string');
    expect(detectSqli('1 OR 1=1')?.reason).toContain('bare (numeric)');
  });

  it('gives a fingerprint of the context and token classes', () => {
    expect(detectSqli("' OR 1=1--")?.fingerprint).toBe("'s&1o1c");
    expect(detectSqli('1 union select 1')?.fingerprint).toBe('_1UE1');
  });

  it('returns the fragment that matched, bounded in length', () => {
    expect(detectSqli("john' OR 1=1--")?.fragment).toBe("' OR 1=1--");
    const long = `' UNION SELECT ${Array.from({ length: 80 }, (_, i) => i).join(',')}--`;
    const match = detectSqli(long);
    expect(match?.fragment.length).toBeLessThanOrEqual(120);
    expect(long.startsWith(match?.fragment ?? '-')).toBe(true);
  });

  it('reads form-encoded spaces', () => {
    expect(detectSqli("'+or+'1'='1")).toBeDefined();
    expect(detectSqli('1+union+select+1,2--')).toBeDefined();
  });

  it('judges injections at the start of a long value', () => {
    expect(detectSqli(`' OR 1=1-- ${'x'.repeat(10_000)}`)).toBeDefined();
  });
});

describe('detectSqli: benign values that look dangerous', () => {
  it.each([
    'Union Jack flag',
    'Select Comfort mattress',
    'Drop-leaf table',
    'Order of the Phoenix',
    "O'Reilly",
    "Rock 'n' Roll",
    "it's -- honestly -- great",
    "Don't select this one",
    'john.doe@example.com',
    '550e8400-e29b-41d4-a716-446655440000',
    '2024-05-17T13:45:00Z',
    '1,299.00',
    'insert coin arcade',
    '{"name":"O\'Reilly","qty":2}',
    '## Section 2 -- details',
    '# Union rules\nSelect a delegate by Friday',
    '[Draft] Select the [Union] plan',
    "it's done -- mostly\nselect the rest tomorrow",
    'v2.0.0-beta.1',
    '+1 (555) 123-4567',
    '1 Or Street',
    '1-1=0',
    'Salt and pepper',
    'price >= 10 and price <= 20',
    'Sleep (2019)',
    "5' or 6'",
    'Press \'#\' to continue',
    '12" -- 30cm',
    'Notes; drop by the office',
    'Dining set; drop table and 4 chairs',
    'Select one; then order by size',
    'max(3, 5)',
    'IF(A1=B1,1,0)',
    '(2+2=4)',
    '(1=1)',
    'Case when it rains then stay in',
    // A quoted search phrase: the "table name" after it is the application's own open string.
    '"drop table" meaning',
    'costs $$ and $$ more',
    'version 1.e',
    // Random passwords: the quote breaks out, but what follows leaves the query broken or says nothing.
    "F2on=E'#}",
    "PtG5aO/xV'#~>",
    "M\"^*`i'>IpZNH6M",
    ";S:;8D;@#_lVa'>7",
    "'quoted search'",
    '',
    'a',
    'abc123',
  ])('%s is not reported', (value) => {
    expect(detectSqli(value)).toBeUndefined();
  });
});
