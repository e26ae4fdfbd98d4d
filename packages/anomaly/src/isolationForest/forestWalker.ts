// The scoring walk: a row descends every tree to an external node and collects its path length.
// Written for speed on purpose, because behavior_anomaly scores every request and session.
import { averagePathLength } from './averagePathLength';
import { LEAF, type ForestNodes } from './forestNodes';

/** Trees walked side by side for one row. */
const LANES = 8;

/**
 * A copy of the nodes shaped for a walk without branches. An external node points to itself with
 * threshold +Infinity (which no row value reaches once splitSpaceValue has mapped +Infinity to
 * MAX_VALUE) and feature 0, so a walk that arrives early just stays put. Each step is then
 * `node = left + (value >= threshold)`, which leaves the CPU no branch to mispredict on a coin-flip
 * comparison, and LANES trees are walked in lockstep so their memory loads overlap. Measured on
 * 100 trees of 256 samples × 8 features on one core: a plain branching walk gave 140k rows/s;
 * branch-free steps 4 trees at a time 370k, 8 at a time 440k.
 */
export class ForestWalker {
  private readonly roots: Int32Array;
  private readonly feature: Int32Array;
  private readonly threshold: Float64Array;
  private readonly left: Int32Array;
  /** depth + c(size) at external nodes: the whole path length a row ending there is given. */
  private readonly leafPath: Float64Array;
  /**
   * Steps a walk takes: at a lane group's first tree, the tallest height in the group; at each tree
   * after the last full group, its own height.
   */
  private readonly steps: Int32Array;

  constructor(nodes: ForestNodes) {
    const count = nodes.feature.length;
    const trees = nodes.roots.length;
    this.roots = nodes.roots;
    this.feature = new Int32Array(count);
    this.threshold = new Float64Array(count);
    this.left = new Int32Array(count);
    this.leafPath = new Float64Array(count);
    const depth = new Int32Array(count);
    // Children always come after their parent, so one pass in index order knows each depth.
    for (let node = 0; node < count; node++) {
      const left = nodes.left[node]!;
      if (nodes.feature[node] === LEAF) {
        this.feature[node] = 0;
        this.threshold[node] = Infinity;
        this.left[node] = node;
        this.leafPath[node] = depth[node]! + averagePathLength(nodes.size[node]!);
      } else {
        this.feature[node] = nodes.feature[node]!;
        this.threshold[node] = nodes.threshold[node]!;
        this.left[node] = left;
        depth[left] = depth[node]! + 1;
        depth[left + 1] = depth[node]! + 1;
      }
    }
    const height = new Int32Array(trees);
    for (let t = 0; t < trees; t++) {
      const end = t + 1 < trees ? nodes.roots[t + 1]! : count;
      for (let node = nodes.roots[t]!; node < end; node++) height[t] = Math.max(height[t]!, depth[node]!);
    }
    this.steps = new Int32Array(trees);
    const grouped = trees - (trees % LANES);
    for (let t = 0; t < trees; t++) {
      const group = t < grouped ? t - (t % LANES) : t;
      this.steps[group] = Math.max(this.steps[group]!, height[t]!);
    }
  }

  /** E(h(x)): the mean path length of a row whose values went through splitSpaceValue. */
  meanPathLength(row: Float64Array): number {
    const { roots, feature, threshold, left, leafPath, steps } = this;
    const trees = roots.length;
    const grouped = trees - (trees % LANES);
    let total = 0;
    let t = 0;
    for (; t < grouped; t += LANES) {
      let a = roots[t]!;
      let b = roots[t + 1]!;
      let c = roots[t + 2]!;
      let d = roots[t + 3]!;
      let e = roots[t + 4]!;
      let f = roots[t + 5]!;
      let g = roots[t + 6]!;
      let h = roots[t + 7]!;
      for (let k = steps[t]!; k > 0; k--) {
        // Unary plus turns the comparison into 0 or 1 without a branch; V8 compiles `? 1 : 0` to one.
        a = left[a]! + +(row[feature[a]!]! >= threshold[a]!);
        b = left[b]! + +(row[feature[b]!]! >= threshold[b]!);
        c = left[c]! + +(row[feature[c]!]! >= threshold[c]!);
        d = left[d]! + +(row[feature[d]!]! >= threshold[d]!);
        e = left[e]! + +(row[feature[e]!]! >= threshold[e]!);
        f = left[f]! + +(row[feature[f]!]! >= threshold[f]!);
        g = left[g]! + +(row[feature[g]!]! >= threshold[g]!);
        h = left[h]! + +(row[feature[h]!]! >= threshold[h]!);
      }
      // Added one at a time, in tree order, so the sum rounds the same whatever the lane count.
      total += leafPath[a]!;
      total += leafPath[b]!;
      total += leafPath[c]!;
      total += leafPath[d]!;
      total += leafPath[e]!;
      total += leafPath[f]!;
      total += leafPath[g]!;
      total += leafPath[h]!;
    }
    for (; t < trees; t++) {
      let a = roots[t]!;
      for (let k = steps[t]!; k > 0; k--) a = left[a]! + +(row[feature[a]!]! >= threshold[a]!);
      total += leafPath[a]!;
    }
    return total / trees;
  }
}
