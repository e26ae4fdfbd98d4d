// Grows one isolation tree (Liu, Ting & Zhou 2008, algorithm 2) from a subsample into the flat
// node arrays, breadth first so no recursion limits the height and each level's nodes sit together.
import { LEAF, type ForestNodes } from './forestNodes';
import type { SeededRandom } from './seededRandom';

export class TreeGrower {
  /** Subsample positions, reordered in place so every node owns one contiguous range. */
  private readonly order: Int32Array;
  /** Per node of the tree being grown (indexed from its root): its range in `order` and depth. */
  private readonly rangeStart: Int32Array;
  private readonly rangeEnd: Int32Array;
  private readonly depth: Int32Array;
  /** Feature indices, shuffled a prefix at a time to try features in random order. */
  private readonly features: Int32Array;
  private splitFeature = LEAF;
  private splitThreshold = 0;

  /**
   * `columns` holds the subsample feature-major (feature f of sample i at f·subsample + i), with
   * values already passed through splitSpaceValue; the caller refills it before each tree.
   */
  constructor(
    private readonly columns: Float64Array,
    private readonly dimensions: number,
    private readonly subsample: number,
    private readonly maxDepth: number,
    private readonly random: SeededRandom,
  ) {
    this.order = new Int32Array(subsample);
    // Every split leaves samples on both sides, so a tree has at most 2·subsample − 1 nodes.
    const maxNodes = 2 * subsample - 1;
    this.rangeStart = new Int32Array(maxNodes);
    this.rangeEnd = new Int32Array(maxNodes);
    this.depth = new Int32Array(maxNodes);
    this.features = new Int32Array(dimensions);
    for (let f = 0; f < dimensions; f++) this.features[f] = f;
  }

  /** Writes a tree whose root is node `root` and returns the index after its last node. */
  grow(nodes: ForestNodes, root: number): number {
    const { feature, threshold, left, size } = nodes;
    const { order, rangeStart, rangeEnd, depth, maxDepth } = this;
    for (let i = 0; i < this.subsample; i++) order[i] = i;
    rangeStart[0] = 0;
    rangeEnd[0] = this.subsample;
    depth[0] = 0;
    let end = root + 1;
    for (let node = root; node < end; node++) {
      const local = node - root;
      const lo = rangeStart[local]!;
      const hi = rangeEnd[local]!;
      const d = depth[local]!;
      size[node] = hi - lo;
      if (d >= maxDepth || hi - lo <= 1 || !this.chooseSplit(lo, hi)) {
        feature[node] = LEAF;
        threshold[node] = 0;
        left[node] = -1;
        continue;
      }
      const mid = this.partition(lo, hi);
      const l = end;
      const r = end + 1;
      end += 2;
      feature[node] = this.splitFeature;
      threshold[node] = this.splitThreshold;
      left[node] = l;
      rangeStart[l - root] = lo;
      rangeEnd[l - root] = mid;
      depth[l - root] = d + 1;
      rangeStart[r - root] = mid;
      rangeEnd[r - root] = hi;
      depth[r - root] = d + 1;
    }
    return end;
  }

  /**
   * Picks a feature at random among those not constant over the node's samples, and a split value
   * uniform in (min, max] so both sides get a sample. The paper draws the feature first and may
   * then find nothing to split; trying the others in random order instead means constant features
   * never waste a level, and a node whose samples are all equal becomes an external node.
   */
  private chooseSplit(lo: number, hi: number): boolean {
    const { columns, features, order, random, subsample } = this;
    const dims = this.dimensions;
    for (let k = 0; k < dims; k++) {
      const pick = k + random.nextInt(dims - k);
      const f = features[pick]!;
      features[pick] = features[k]!;
      features[k] = f;
      const base = f * subsample;
      let min = columns[base + order[lo]!]!;
      let max = min;
      for (let i = lo + 1; i < hi; i++) {
        const v = columns[base + order[i]!]!;
        if (v < min) min = v;
        else if (v > max) max = v;
      }
      if (min < max) {
        const r = random.nextFloat();
        // Written as a blend, not min + r·(max − min), so ±MAX_VALUE ends cannot overflow.
        let t = max * (1 - r) + min * r;
        // Rounding can land on min (or just past max) when the two are a few ulps apart.
        if (!(t > min) || t > max) t = max;
        this.splitFeature = f;
        this.splitThreshold = t;
        return true;
      }
    }
    return false;
  }

  /** Moves the range's samples below the threshold to its front; returns where the rest begin. */
  private partition(lo: number, hi: number): number {
    const { columns, order } = this;
    const base = this.splitFeature * this.subsample;
    const t = this.splitThreshold;
    let i = lo;
    let j = hi - 1;
    while (i <= j) {
      const sample = order[i]!;
      if (columns[base + sample]! < t) {
        i++;
      } else {
        order[i] = order[j]!;
        order[j] = sample;
        j--;
      }
    }
    return i;
  }
}
