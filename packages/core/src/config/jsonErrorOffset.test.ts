import { jsonErrorOffset } from './jsonErrorOffset';

describe('jsonErrorOffset', () => {
  it('points at the first character that breaks the grammar', () => {
    const cases: [string, number][] = [
      ['{"a": 1,}', 8],
      ['{\n  "keys": [\n}', 14],
      ['[1, 2', 5],
      ['{"a" 1}', 5],
      ['{"a": tru}', 6],
      ['{"a": "x\ny"}', 8],
      ['{"a": "\\q"}', 8],
      ['{"a": 01}', 7],
      ['{} x', 3],
      ['', 0],
    ];
    for (const [text, offset] of cases) {
      expect(() => JSON.parse(text)).toThrow();
      expect([text, jsonErrorOffset(text)]).toEqual([text, offset]);
    }
  });
  it('finds no fault in valid JSON', () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"], "b": {}}';
    expect(jsonErrorOffset(text)).toBe(text.length);
  });
});
