// The trees of a forest laid out flat in typed arrays, one slot per node: the model as trained and
// as saved. ForestWalker derives the form scoring reads from it.
/** Feature index marking an external node (a leaf). */
export const LEAF = -1;

export interface ForestNodes {
  /** Node index of each tree's root; a tree's nodes run from its root to the next tree's root. */
  readonly roots: Int32Array;
  /** Split feature of an internal node, LEAF at an external node. */
  readonly feature: Int32Array;
  /** Split value: a row goes left when its value is below it. 0 at external nodes. */
  readonly threshold: Float64Array;
  /**
   * Left child (absolute index, always after the parent), −1 at external nodes. The right child is
   * always left + 1: children are allocated in pairs, and scoring then steps to a child with
   * arithmetic instead of a branch the CPU cannot predict.
   */
  readonly left: Int32Array;
  /** Training samples that reached the node. */
  readonly size: Int32Array;
}

/** Node arrays with room for `capacity` nodes, to be filled by growth and cut by `trimNodes`. */
export function allocateNodes(trees: number, capacity: number): ForestNodes {
  return {
    roots: new Int32Array(trees),
    feature: new Int32Array(capacity),
    threshold: new Float64Array(capacity),
    left: new Int32Array(capacity),
    size: new Int32Array(capacity),
  };
}

/** Copies the first `count` nodes into arrays of exactly that length. */
export function trimNodes(nodes: ForestNodes, count: number): ForestNodes {
  return {
    roots: nodes.roots,
    feature: nodes.feature.slice(0, count),
    threshold: nodes.threshold.slice(0, count),
    left: nodes.left.slice(0, count),
    size: nodes.size.slice(0, count),
  };
}
