// The versioned JSON form of a trained forest, as kept in the model store: plain arrays per tree
// (readable and diffable), checked field by field on the way in so a damaged or foreign document
// fails at load in one sentence instead of scoring nonsense later.
import { LEAF, type ForestNodes } from './forestNodes';
import { MAX_SUBSAMPLE, MAX_TREES } from './trainOptions';

export const ISOLATION_FOREST_FORMAT = 'sidetap-isolation-forest/1';
const FORMAT_FAMILY = 'sidetap-isolation-forest/';
const UINT32_MAX = 0xffffffff;
const INT32_MAX = 0x7fffffff;

/** One tree, node 0 its root; children come after their parent, the right one just after the left. */
export interface IsolationTreeDocument {
  /** Split feature, −1 at external nodes. */
  readonly feature: readonly number[];
  /** A row goes left when its value is below the threshold; 0 at external nodes. */
  readonly threshold: readonly number[];
  /** Left child's index within the tree (the right child is left + 1), −1 at external nodes. */
  readonly left: readonly number[];
  /** Training samples that reached the node. */
  readonly size: readonly number[];
}

export interface IsolationForestDocument {
  readonly format: typeof ISOLATION_FOREST_FORMAT;
  /** Features per row. */
  readonly dimensions: number;
  /** Samples each tree was grown from: c(subsample) normalises scores. */
  readonly subsample: number;
  readonly maxDepth: number;
  readonly seed: number;
  /** Rows the forest was trained on, for provenance. */
  readonly trainingRows: number;
  readonly trees: readonly IsolationTreeDocument[];
}

/** What a forest knows besides its nodes. */
export interface ForestMeta {
  readonly dimensions: number;
  readonly subsample: number;
  readonly maxDepth: number;
  readonly seed: number;
  readonly trainingRows: number;
}

export class IsolationForestDocumentError extends Error {
  override readonly name = 'IsolationForestDocumentError';
}

export function writeDocument(meta: ForestMeta, nodes: ForestNodes): IsolationForestDocument {
  const trees: IsolationTreeDocument[] = [];
  const total = nodes.feature.length;
  for (let t = 0; t < nodes.roots.length; t++) {
    const root = nodes.roots[t]!;
    const end = t + 1 < nodes.roots.length ? nodes.roots[t + 1]! : total;
    const local = (child: number): number => (child < 0 ? -1 : child - root);
    trees.push({
      feature: Array.from(nodes.feature.subarray(root, end)),
      threshold: Array.from(nodes.threshold.subarray(root, end)),
      left: Array.from(nodes.left.subarray(root, end), local),
      size: Array.from(nodes.size.subarray(root, end)),
    });
  }
  const { dimensions, subsample, maxDepth, seed, trainingRows } = meta;
  return { format: ISOLATION_FOREST_FORMAT, dimensions, subsample, maxDepth, seed, trainingRows, trees };
}

export function readDocument(doc: unknown): { meta: ForestMeta; nodes: ForestNodes } {
  if (!isRecord(doc)) fail('is not a JSON object');
  const format = doc['format'];
  if (format !== ISOLATION_FOREST_FORMAT) {
    if (typeof format === 'string' && format.startsWith(FORMAT_FAMILY)) {
      fail(`has format ${format}, which this version cannot read (it reads ${ISOLATION_FOREST_FORMAT})`);
    }
    fail(`has format ${describe(format)}, not ${ISOLATION_FOREST_FORMAT}`);
  }
  const dimensions = integerField(doc, 'dimensions', 1, INT32_MAX);
  const subsample = integerField(doc, 'subsample', 2, MAX_SUBSAMPLE);
  const maxDepth = integerField(doc, 'maxDepth', 1, MAX_SUBSAMPLE);
  const seed = integerField(doc, 'seed', 0, UINT32_MAX);
  const trainingRows = integerField(doc, 'trainingRows', subsample, Number.MAX_SAFE_INTEGER);
  const trees: unknown = doc['trees'];
  if (!Array.isArray(trees) || trees.length < 1 || trees.length > MAX_TREES) {
    fail(`field trees must be an array of 1 to ${MAX_TREES} trees`);
  }
  const list: readonly unknown[] = trees;
  const shaped = list.map((tree, t) => checkTreeShape(tree, `trees[${t}]`, subsample));
  const total = shaped.reduce((sum, tree) => sum + tree.feature.length, 0);
  const nodes: ForestNodes = {
    roots: new Int32Array(shaped.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    left: new Int32Array(total),
    size: new Int32Array(total),
  };
  let root = 0;
  shaped.forEach((tree, t) => {
    copyTree(tree, `trees[${t}]`, { dimensions, subsample, maxDepth }, nodes, root);
    nodes.roots[t] = root;
    root += tree.feature.length;
  });
  return { meta: { dimensions, subsample, maxDepth, seed, trainingRows }, nodes };
}

const TREE_FIELDS = ['feature', 'threshold', 'left', 'size'] as const;
type TreeArrays = Record<(typeof TREE_FIELDS)[number], readonly unknown[]>;

function checkTreeShape(tree: unknown, path: string, subsample: number): TreeArrays {
  if (!isRecord(tree)) fail(`${path} is not an object`);
  const arrays: Partial<TreeArrays> = {};
  for (const name of TREE_FIELDS) {
    const value: unknown = tree[name];
    if (!Array.isArray(value)) fail(`${path}.${name} is not an array`);
    arrays[name] = value;
  }
  const complete = arrays as TreeArrays;
  const count = complete.feature.length;
  // Every split keeps samples on both sides, so a tree never has more nodes than this.
  const maxNodes = 2 * subsample - 1;
  if (count < 1 || count > maxNodes) fail(`${path} has ${count} nodes; it must have 1 to ${maxNodes}`);
  for (const name of TREE_FIELDS) {
    if (complete[name].length !== count) {
      fail(`${path}.${name} has ${complete[name].length} entries but ${path}.feature has ${count}`);
    }
  }
  return complete;
}

/**
 * Checks one tree's nodes and copies them at `root`: every non-root node has exactly one parent
 * with a smaller index (so the nodes form one tree, with no cycle), sizes add up, and no node
 * sits deeper than maxDepth.
 */
function copyTree(
  tree: TreeArrays,
  path: string,
  limits: { dimensions: number; subsample: number; maxDepth: number },
  nodes: ForestNodes,
  root: number,
): void {
  const count = tree.feature.length;
  const parents = new Int32Array(count);
  const depth = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const feature = integerAt(tree.feature, i, `${path}.feature`, LEAF, limits.dimensions - 1);
    const threshold = tree.threshold[i];
    // Above −MAX_VALUE so NaN, which scores as −MAX_VALUE, stays below every split.
    if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold === -Number.MAX_VALUE) {
      fail(`${path}.threshold[${i}] is ${describe(threshold)}, not a finite number above -Number.MAX_VALUE`);
    }
    const size = integerAt(tree.size, i, `${path}.size`, 1, limits.subsample);
    if (i === 0 && size !== limits.subsample) {
      fail(`${path}.size[0] is ${size}, but the root holds the whole subsample of ${limits.subsample}`);
    }
    if (i > 0 && parents[i] !== 1) fail(`${path} node ${i} has ${parents[i]} parents instead of 1`);
    if (depth[i]! > limits.maxDepth) fail(`${path} node ${i} is at depth ${depth[i]}, deeper than maxDepth ${limits.maxDepth}`);
    const isLeaf = feature === LEAF;
    // A leaf's left is −1; an internal node's children (left, left + 1) come after it in the tree.
    const left = integerAt(tree.left, i, `${path}.left`, isLeaf ? -1 : i + 1, isLeaf ? -1 : count - 2);
    if (!isLeaf) {
      const leftSize = tree.size[left];
      const rightSize = tree.size[left + 1];
      // Children are checked as integers when their turn comes; here only their sum matters.
      const sum = Number(leftSize) + Number(rightSize);
      if (sum !== size) fail(`${path}.size[${i}] is ${size}, but its children's sizes add up to ${describe(sum)}`);
      parents[left]!++;
      parents[left + 1]!++;
      depth[left] = depth[i]! + 1;
      depth[left + 1] = depth[i]! + 1;
    }
    nodes.feature[root + i] = feature;
    nodes.threshold[root + i] = threshold;
    nodes.left[root + i] = isLeaf ? -1 : root + left;
    nodes.size[root + i] = size;
  }
}

function integerField(doc: Record<string, unknown>, name: string, min: number, max: number): number {
  const value = doc[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`field ${name} is ${describe(value)}, not an integer from ${min} to ${max}`);
  }
  return value;
}

function integerAt(values: readonly unknown[], i: number, path: string, min: number, max: number): number {
  const value = values[i];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = min === max ? String(min) : `an integer from ${min} to ${max}`;
    fail(`${path}[${i}] is ${describe(value)}, not ${range}`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'number') return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function fail(problem: string): never {
  throw new IsolationForestDocumentError(`isolation forest document ${problem}.`);
}
