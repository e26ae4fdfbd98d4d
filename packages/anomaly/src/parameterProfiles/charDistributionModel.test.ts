// The character distribution model: bands, the learned ICD, quiet on text, loud on buffers.
import { bandLabel, CharDistributionModel, lengthBand } from './charDistributionModel';
import { comment, personName, Rng } from './testValues';
import { ValueFeatures } from './valueFeatures';

const f = new ValueFeatures();
const trained = (values: string[]): CharDistributionModel => {
  const m = new CharDistributionModel();
  for (const v of values) m.learn(f.analyse(v));
  return m;
};

describe('CharDistributionModel', () => {
  it('bands lengths by powers of two', () => {
    expect([1, 2, 3, 4, 7, 8, 127, 128, 5000].map(lengthBand)).toEqual([0, 1, 1, 2, 2, 3, 6, 7, 7]);
    expect([0, 1, 3, 7].map(bandLabel)).toEqual(['1', '2-3', '8-15', '128+']);
  });

  it('learns the idealized character distribution as the mean sorted share per bin', () => {
    const m = trained(['aabb', 'abcd']);
    // 'aabb': 0.5, 0.5; 'abcd': 0.25, 0.75 → mean 0.375, 0.625.
    expect(m.samples[2]).toBe(2);
    expect(m.icd[2]?.slice(0, 2)).toEqual([0.375, 0.625]);
  });

  it('passes values like the training ones and flags repeated-character buffers', () => {
    const r = new Rng(11);
    const comments = trained(Array.from({ length: 400 }, () => comment(r)));
    let quiet = 0;
    for (let i = 0; i < 400; i++) if (comments.judge(f.analyse(comment(r))).p > 0.01) quiet++;
    expect(quiet).toBeGreaterThanOrEqual(396);
    const buffer = comments.judge(f.analyse('A'.repeat(2048)));
    expect(buffer.p).toBeLessThan(1e-9);
    expect(buffer.topShare).toBe(1);
    expect(comments.judge(f.analyse('\u0001'.repeat(300))).p).toBeLessThan(1e-9);
  });

  it('holds a value longer than anything learned against the longest band, and gives no verdict for untrained shorter bands', () => {
    const r = new Rng(12);
    const names = trained(Array.from({ length: 300 }, () => personName(r)).filter((n) => n.length >= 8));
    expect(names.judge(f.analyse('x'.repeat(500))).p).toBeLessThan(1e-9);
    expect(names.judge(f.analyse('aaa')).p).toBe(1);
  });

  it('gives no verdict on empty values or before a band is trained', () => {
    expect(new CharDistributionModel().judge(f.analyse('AAAAAAAAAAAAAAAAAAAA')).p).toBe(1);
    expect(trained(['abc']).judge(f.analyse('')).p).toBe(1);
  });
});
