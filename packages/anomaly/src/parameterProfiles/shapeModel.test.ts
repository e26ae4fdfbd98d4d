// The shape model: new character features and lost formats, with Good–Turing p-values.
import { ShapeModel } from './shapeModel';
import { numericId, personName, Rng, uuid } from './testValues';
import { ValueFeatures } from './valueFeatures';

const f = new ValueFeatures();
const trained = (values: string[]): ShapeModel => {
  const m = new ShapeModel();
  for (const v of values) m.learn(f.analyse(v));
  return m;
};

describe('ShapeModel', () => {
  const r = new Rng(5);
  const ids = Array.from({ length: 300 }, () => numericId(r));

  it('flags letters in a numeric id, with the Good–Turing p of a new feature', () => {
    const m = trained(ids);
    const verdict = m.judge(f.analyse('12abc'), 300);
    expect(verdict.p).toBeCloseTo(1 / 301, 12);
    expect(verdict.why).toMatch(/contains lower-case letters, which none of its 300 learned values did/);
    expect(m.judge(f.analyse('9876543210'), 300).p).toBe(1);
  });

  it("flags an injection's punctuation in a name", () => {
    const m = trained(Array.from({ length: 400 }, () => personName(r)));
    const verdict = m.judge(f.analyse("x' OR 1=1--"), 400);
    expect(verdict.p).toBeLessThan(0.01);
    expect(verdict.why).toMatch(/digits and '='/);
    // Its characters are all known; it only lacks formats some names have (a single word).
    expect(m.judge(f.analyse("Siobhán O'Connor-Smith"), 400).p).toBeGreaterThan(0.5);
  });

  it('flags a value that lost the format every learned value had', () => {
    const m = trained(Array.from({ length: 200 }, () => uuid(r)));
    const verdict = m.judge(f.analyse('1234'), 200);
    expect(verdict.p).toBeCloseTo(1 / 201, 12);
    expect(verdict.why).toBe('is not a UUID, which all 200 learned values were');
  });

  it('stays lenient where new features keep appearing in training', () => {
    // Each value brings a punctuation mark no other value has: novelty is normal here.
    const marks = ['!', '#', '$', '%', '&', '*', '+', '/', ':', ';', '=', '?', '@', '^', '|', '~'];
    const m = trained(marks.map((c) => `note${c}`));
    expect(m.judge(f.analyse('note<'), marks.length).p).toBe(1);
  });

  it('describes what it learned', () => {
    expect(trained(ids).describe(300)).toBe('integer, number, hex, word, printable; characters: digits');
  });
});
