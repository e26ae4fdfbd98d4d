// The one-pass value analysis: sorted-frequency bins, feature masks and formats.
import { CLASS_DIGIT, CLASS_INVALID, CLASS_LETTER_OTHER, CLASS_LOWER, CLASS_SPACE, CLASS_SYMBOL_OTHER, CLASS_UPPER, featureName, PUNCTUATION } from './charClasses';
import { ValueFeatures } from './valueFeatures';
import { FORMAT_NAMES } from './valueFormats';

const formats = (value: string): string[] => {
  const f = new ValueFeatures().analyse(value);
  return FORMAT_NAMES.filter((_, i) => (f.formats & (1 << i)) !== 0);
};

describe('ValueFeatures', () => {
  it('bins the sorted character counts as the paper does', () => {
    const f = new ValueFeatures();
    // 'aaaabbbccd': counts 4,3,2,1 → most frequent 4, ranks 2-4: 3+2+1.
    expect([...f.analyse('aaaabbbccd').bins]).toEqual([4, 6, 0, 0, 0, 0]);
    // 20 distinct characters once each: 1, 3, 3, 5, 4, 4.
    expect([...f.analyse('abcdefghijklmnopqrst').bins]).toEqual([1, 3, 3, 5, 4, 4]);
    expect([...f.analyse('').bins]).toEqual([0, 0, 0, 0, 0, 0]);
    // The scratch state is cleared between values.
    expect([...f.analyse('zz').bins]).toEqual([2, 0, 0, 0, 0, 0]);
  });

  it('counts non-ASCII characters like any other', () => {
    const f = new ValueFeatures().analyse('東京東京東');
    expect([...f.bins]).toEqual([3, 2, 0, 0, 0, 0]);
    expect(f.classes).toBe(CLASS_LETTER_OTHER);
  });

  it('sets class and punctuation bits', () => {
    const f = new ValueFeatures().analyse("O'Brien 42 ✓\ufffd");
    expect(f.classes).toBe(CLASS_UPPER | CLASS_LOWER | CLASS_SPACE | CLASS_DIGIT | CLASS_SYMBOL_OTHER | CLASS_INVALID);
    expect(f.punct).toBe(1 << PUNCTUATION.indexOf("'"));
    expect(featureName(10 + PUNCTUATION.indexOf('<'))).toBe("'<'");
  });

  it('recognises formats', () => {
    expect(formats('12345')).toEqual(['integer', 'number', 'hex', 'word', 'printable']);
    expect(formats('-3.5e2')).toEqual(['number', 'word', 'printable']);
    expect(formats('deadBEEF')).toEqual(['hex', 'letters', 'word', 'printable']);
    expect(formats('3f2504e0-4f89-41d3-9a0c-0305e82c3301')).toEqual(['uuid', 'word', 'printable']);
    expect(formats('ann.lee+shop@mail.example-corp.com')).toEqual(['email', 'printable']);
    expect(formats('2024-05-01')).toEqual(['date', 'word', 'printable']);
    expect(formats('2024-05-01T12:00:00.123Z')).toEqual(['date', 'printable']);
    expect(formats('2024-05-01T12:00:00+02:00')).toEqual(['date', 'printable']);
    expect(formats('Zoë')).toEqual(['letters', 'word', 'printable']);
    expect(formats('red shoes')).toEqual(['printable']);
    expect(formats('a\u0000')).toEqual([]);
    expect(formats('')).toEqual(['printable']);
  });
});
