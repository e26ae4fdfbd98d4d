import { jsonErrorOffset } from './jsonErrorOffset';

const at = (text: string): number => jsonErrorOffset(Buffer.from(text));

describe('jsonErrorOffset', () => {
  it('finds no fault in valid JSON', () => {
    for (const ok of ['{}', '[]', ' {"a": [1, -2.5e+3, true, false, null, "x\\n\\u00e9"]} ', '"s"', '0', '{"é": "ü"}']) expect(at(ok)).toBe(-1);
  });

  it('gives the byte offset of the first bad byte, counting multi-byte characters as their bytes', () => {
    expect(at('{"log": {"entries": [}}')).toBe(21);
    expect(at('{"a":1,}')).toBe(7);
    expect(at('{"é": nope}')).toBe(8);
    expect(at('[1 2]')).toBe(3);
    expect(at('{"a" 1}')).toBe(5);
    expect(at('{"a":"\\x"}')).toBe(7);
    expect(at('{"a":01}')).toBe(6);
    expect(at('{"a":tru}')).toBe(8);
    expect(at('{} {}')).toBe(3);
    expect(at('{"a":')).toBe(5);
    expect(at('"abc')).toBe(4);
  });

  it('agrees with JSON.parse on every prefix of a document and survives deep nesting', () => {
    const doc = JSON.stringify({ log: { entries: [{ a: 'x"y', b: [1, 2.5, { c: null }] }] } });
    for (let n = 0; n < doc.length; n++) {
      let valid = true;
      try {
        JSON.parse(doc.slice(0, n));
      } catch {
        valid = false;
      }
      expect(at(doc.slice(0, n)) === -1).toBe(valid);
    }
    expect(at('['.repeat(200_000))).toBe(200_000);
  });
});
