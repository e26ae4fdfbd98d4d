import { KeyMemo } from './keyMemo';

describe('KeyMemo', () => {
  it('makes a value once per pair of parts and hands the same one back', () => {
    const made: string[] = [];
    const memo = new KeyMemo((a, b) => {
      made.push(`${a}|${b}`);
      return { key: `x:${a}:${b}` };
    });
    const first = memo.of('GET', '/a/{id}');
    expect(first).toEqual({ key: 'x:GET:/a/{id}' });
    expect(memo.of('GET', '/a/{id}')).toBe(first);
    expect(memo.of('POST', '/a/{id}')).toEqual({ key: 'x:POST:/a/{id}' });
    expect(memo.of('GET', '/b')).toEqual({ key: 'x:GET:/b' });
    expect(memo.of('one')).toEqual({ key: 'x:one:' });
    expect(made).toEqual(['GET|/a/{id}', 'POST|/a/{id}', 'GET|/b', 'one|']);
  });

  it('starts over past 16,384 entries, still giving what make gives', () => {
    let calls = 0;
    const memo = new KeyMemo((a) => {
      calls++;
      return `k:${a}`;
    });
    const wrong: string[] = [];
    for (let i = 0; i < 16_384; i++) if (memo.of(String(i)) !== `k:${i}`) wrong.push(String(i));
    expect(memo.of('0')).toBe('k:0');
    expect(calls).toBe(16_384);
    // One more part: the memo starts over, keeping only that one.
    expect(memo.of('new')).toBe('k:new');
    expect(memo.of('new')).toBe('k:new');
    expect(calls).toBe(16_385);
    expect(memo.of('0')).toBe('k:0');
    expect(calls).toBe(16_386);
    expect(wrong).toEqual([]);
  });
});
