// Training: for each tree, draw a subsample without replacement (the paper's ψ) and grow a tree on
// it. Subsampling is what keeps training cost and model size independent of the training set.
import { allocateNodes, trimNodes, type ForestNodes } from './forestNodes';
import { SeededRandom } from './seededRandom';
import { splitSpaceValue } from './splitSpaceValue';
import type { FeatureRow, ResolvedTrainOptions } from './trainOptions';
import { TreeGrower } from './treeGrower';

export function growForest(rows: readonly FeatureRow[], options: ResolvedTrainOptions): ForestNodes {
  const { trees, subsample, dimensions } = options;
  const random = new SeededRandom(options.seed);
  const columns = new Float64Array(dimensions * subsample);
  const grower = new TreeGrower(columns, dimensions, subsample, options.maxDepth, random);
  const nodes = allocateNodes(trees, trees * (2 * subsample - 1));
  // A partial Fisher–Yates shuffle of all row indices per tree. Keeping the permutation between
  // trees is still uniform and saves refilling n indices each time.
  const n = rows.length;
  const drawn = new Int32Array(n);
  for (let i = 0; i < n; i++) drawn[i] = i;
  let next = 0;
  for (let tree = 0; tree < trees; tree++) {
    for (let k = 0; k < subsample; k++) {
      const pick = k + random.nextInt(n - k);
      const row = drawn[pick]!;
      drawn[pick] = drawn[k]!;
      drawn[k] = row;
      const values = rows[row]!;
      for (let f = 0; f < dimensions; f++) columns[f * subsample + k] = splitSpaceValue(values[f]!);
    }
    nodes.roots[tree] = next;
    next = grower.grow(nodes, next);
  }
  return trimNodes(nodes, next);
}
