import { averagePathLength } from './averagePathLength';
import { IsolationForest } from './isolationForest';
import type { IsolationForestDocument } from './isolationForestDocument';
import { gaussianRows, ringOutliers, rocAuc } from './testRows';

const training = gaussianRows(1, 2000, 4);
const probes = gaussianRows(2, 500, 4);

function reloaded(forest: IsolationForest): IsolationForest {
  return IsolationForest.fromJSON(JSON.parse(JSON.stringify(forest)));
}

describe('IsolationForest', () => {
  it('gives identical forests, documents and scores for the same seed', () => {
    const a = IsolationForest.train(training, { seed: 11 });
    const b = IsolationForest.train(training, { seed: 11 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.scoreMany(probes)).toEqual(b.scoreMany(probes));
  });

  it('grows different trees from a different seed', () => {
    const a = IsolationForest.train(training, { seed: 11 }).toJSON();
    const b = IsolationForest.train(training, { seed: 12 }).toJSON();
    expect(a.trees[0]).not.toEqual(b.trees[0]);
    expect(a.trees.filter((tree, t) => JSON.stringify(tree) === JSON.stringify(b.trees[t]))).toHaveLength(0);
  });

  it('scores identically after a save and load through JSON text', () => {
    const forest = IsolationForest.train(training, { seed: 3, trees: 37 });
    const copy = reloaded(forest);
    expect(copy.scoreMany(probes)).toEqual(forest.scoreMany(probes));
    expect(copy.toJSON()).toEqual(forest.toJSON());
  });

  it('ranks far points above a 2-D gaussian (AUC > 0.95)', () => {
    const { rows, outlier } = ringOutliers(5, 1000, 10);
    const scores = IsolationForest.train(rows, { seed: 9 }).scoreMany(rows);
    expect(rocAuc(scores, outlier)).toBeGreaterThan(0.95);
    const outlierMean = scores.filter((_, i) => outlier[i]).reduce((sum, s) => sum + s, 0) / 10;
    expect(outlierMean).toBeGreaterThan(0.6);
  });

  it('keeps scores within [0, 1], extremes and non-finite values included', () => {
    const forest = IsolationForest.train(training, { seed: 4 });
    const odd = [[1e300, -1e300, 0, 0], [NaN, NaN, NaN, NaN], [Infinity, -Infinity, NaN, 0], [0, 0, 0, 0]];
    for (const score of forest.scoreMany([...probes, ...odd.map((row) => Float64Array.from(row))])) {
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });

  it('grows each tree from a subsample, not the whole training set', () => {
    const big = gaussianRows(6, 10_000, 3);
    const doc = IsolationForest.train(big, { seed: 1, trees: 10 }).toJSON();
    expect(doc).toMatchObject({ subsample: 256, maxDepth: 8, trainingRows: 10_000 });
    for (const tree of doc.trees) {
      expect(tree.size[0]).toBe(256);
      expect(tree.feature.length).toBeLessThanOrEqual(2 * 256 - 1);
    }
  });

  it('uses every row when there are fewer than the subsample, with the height limit to match', () => {
    const doc = IsolationForest.train(training.slice(0, 100), { seed: 1, trees: 5 }).toJSON();
    expect(doc).toMatchObject({ subsample: 100, maxDepth: 7 });
    expect(doc.trees[0]!.size[0]).toBe(100);
  });

  it('stops growth at maxDepth', () => {
    const doc = IsolationForest.train(training, { seed: 1, trees: 5, maxDepth: 2 }).toJSON();
    for (const tree of doc.trees) expect(tree.feature.length).toBeLessThanOrEqual(7);
  });

  it('never splits on a constant feature', () => {
    const rows = training.map((row) => [row[0]!, 5, row[1]!]);
    const doc = IsolationForest.train(rows, { seed: 2 }).toJSON();
    expect(doc.trees.some((tree) => tree.feature.includes(0))).toBe(true);
    expect(doc.trees.some((tree) => tree.feature.includes(1))).toBe(false);
  });

  it('makes single-leaf trees of identical rows, which score everything 0.5', () => {
    const rows = Array.from({ length: 300 }, () => [1, 2]);
    const forest = IsolationForest.train(rows, { seed: 2, trees: 7 });
    const doc = forest.toJSON();
    expect(doc.trees.every((tree) => tree.feature.length === 1 && tree.size[0] === 256)).toBe(true);
    expect(forest.score([1, 2])).toBe(0.5);
    expect(forest.score([-40, NaN])).toBe(0.5);
  });

  it('treats NaN as below every split and infinities as the largest numbers', () => {
    const forest = IsolationForest.train(training, { seed: 8 });
    expect(forest.score([NaN, 0.1, 0.2, 0.3])).toBe(forest.score([-Infinity, 0.1, 0.2, 0.3]));
    expect(forest.score([NaN, 0.1, 0.2, 0.3])).toBe(forest.score([-Number.MAX_VALUE, 0.1, 0.2, 0.3]));
    expect(forest.score([0, Infinity, 0, 0])).toBe(forest.score([0, Number.MAX_VALUE, 0, 0]));
    // A row unlike any in training is isolated early.
    const median = [...forest.scoreMany(probes)].sort((x, y) => x - y)[250]!;
    expect(forest.score([NaN, NaN, NaN, NaN])).toBeGreaterThan(median);
  });

  it('trains deterministically on rows holding NaN and infinities', () => {
    const rows = training.map((row, i) => (i % 50 === 0 ? [NaN, row[1]!, Infinity, -Infinity] : Array.from(row)));
    const a = IsolationForest.train(rows, { seed: 5 });
    const b = IsolationForest.train(rows, { seed: 5 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    for (const tree of a.toJSON().trees) expect(tree.threshold.every(Number.isFinite)).toBe(true);
    expect(reloaded(a).scoreMany(rows)).toEqual(a.scoreMany(rows));
  });

  it('gives the same forest from number[][] and Float64Array[] rows', () => {
    const plain = training.map((row) => Array.from(row));
    expect(JSON.stringify(IsolationForest.train(plain, { seed: 1 }))).toBe(JSON.stringify(IsolationForest.train(training, { seed: 1 })));
  });

  it('scores by the paper: 2^(−E(h(x))/c(ψ)), with c(size) added at external nodes', () => {
    // One split on feature 0 at 0.5, then feature 1 at 2 on the right; ψ = 4.
    const tree = { feature: [0, -1, 1, -1, -1], threshold: [0.5, 0, 2, 0, 0], left: [1, -1, 3, -1, -1], size: [4, 1, 3, 2, 1] };
    const c4 = averagePathLength(4);
    // 1 tree walks alone, 8 as one lane group, 9 as a group and one more.
    for (const trees of [1, 8, 9]) {
      const doc: IsolationForestDocument = {
        format: 'sidetap-isolation-forest/1', dimensions: 2, subsample: 4, maxDepth: 2, seed: 0, trainingRows: 4,
        trees: Array.from({ length: trees }, () => tree),
      };
      const forest = IsolationForest.fromJSON(doc);
      expect(forest.score([0, 0])).toBeCloseTo(2 ** (-1 / c4), 15); // depth 1, size 1
      expect(forest.score([1, 5])).toBeCloseTo(2 ** (-2 / c4), 15); // depth 2, size 1
      expect(forest.score([1, 0])).toBeCloseTo(2 ** (-(2 + 1) / c4), 15); // depth 2, size 2: + c(2)
      expect(forest.score([NaN, 9])).toBe(forest.score([0, 0]));
      expect(forest.score([Infinity, NaN])).toBe(forest.score([1, 0]));
    }
  });

  it('throws for a row of the wrong length', () => {
    const forest = IsolationForest.train(training, { seed: 1, trees: 3 });
    expect(forest.dimensions).toBe(4);
    expect(() => forest.score([1, 2, 3])).toThrow('isolation forest rows have 4 features, not 3.');
  });

  it.each([
    [{ seed: -1 }, 'isolation forest option seed must be an integer from 0 to 4294967295, not -1.'],
    [{ seed: 1, trees: 0 }, 'isolation forest option trees must be an integer from 1 to 10000, not 0.'],
    [{ seed: 1, subsample: 1 }, 'isolation forest option subsample must be an integer from 2 to 65536, not 1.'],
    [{ seed: 1, maxDepth: 2.5 }, 'isolation forest option maxDepth must be an integer from 1 to 65536, not 2.5.'],
  ])('rejects options %j in one sentence', (options, message) => {
    expect(() => IsolationForest.train(training, options)).toThrow(message);
  });

  it('rejects too few rows and rows of different lengths', () => {
    expect(() => IsolationForest.train([[1]], { seed: 1 })).toThrow('an isolation forest needs at least 2 training rows, not 1.');
    expect(() => IsolationForest.train([[1, 2], [3]], { seed: 1 })).toThrow('isolation forest training row 1 has 1 features; row 0 has 2.');
    expect(() => IsolationForest.train([[], []], { seed: 1 })).toThrow('isolation forest training rows have no features.');
  });
});
