import { IsolationForest } from './isolationForest';
import { IsolationForestDocumentError, ISOLATION_FOREST_FORMAT } from './isolationForestDocument';
import { gaussianRows } from './testRows';

interface MutableTree {
  feature: unknown[];
  threshold: unknown[];
  left: unknown[];
  size: unknown[];
}
type MutableDoc = Record<string, unknown> & { trees: MutableTree[] };

const saved = JSON.stringify(IsolationForest.train(gaussianRows(1, 300, 3), { seed: 1, trees: 4 }));

/** A fresh copy of a valid document, as JSON.parse would give it. */
function doc(): MutableDoc {
  return JSON.parse(saved) as MutableDoc;
}

function tree(d: MutableDoc): MutableTree {
  return d.trees[1]!;
}

/** The first internal node at or after `from`. */
function firstInternal(t: MutableTree, from = 0): number {
  return t.feature.findIndex((f, i) => i >= from && f !== -1);
}

function expectRejected(value: unknown, message: string | RegExp): void {
  let caught: unknown;
  try {
    IsolationForest.fromJSON(value);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(IsolationForestDocumentError);
  const text = (caught as Error).message;
  // One sentence: starts by saying what it is about, ends with one full stop.
  expect(text).toMatch(/^isolation forest document [^\n]+\.$/);
  expect(text).toMatch(message);
}

describe('isolation forest document', () => {
  it('names its format and keeps its fields as plain JSON', () => {
    const d = doc();
    expect(d).toMatchObject({ format: ISOLATION_FOREST_FORMAT, dimensions: 3, subsample: 256, maxDepth: 8, seed: 1, trainingRows: 300 });
    expect(Object.keys(tree(d)).sort()).toEqual(['feature', 'left', 'size', 'threshold']);
    expect(ISOLATION_FOREST_FORMAT).toBe('sidetap-isolation-forest/1');
  });

  it('rejects what is not an object', () => {
    for (const value of [null, 'x', 3, []]) expectRejected(value, 'is not a JSON object');
  });

  it('rejects a missing, foreign or future format', () => {
    const d = doc();
    delete d['format'];
    expectRejected(d, 'has format missing, not sidetap-isolation-forest/1');
    expectRejected({ ...doc(), format: 'ml-isolation-forest' }, 'has format "ml-isolation-forest", not sidetap-isolation-forest/1');
    expectRejected({ ...doc(), format: 'sidetap-isolation-forest/2' }, /has format sidetap-isolation-forest\/2, which this version cannot read/);
  });

  it('rejects bad header fields', () => {
    expectRejected({ ...doc(), dimensions: 0 }, 'field dimensions is 0, not an integer from 1 to 2147483647');
    expectRejected({ ...doc(), subsample: '256' }, 'field subsample is "256", not an integer from 2 to 65536');
    expectRejected({ ...doc(), seed: -3 }, 'field seed is -3, not an integer from 0 to 4294967295');
    expectRejected({ ...doc(), trainingRows: 10 }, /field trainingRows is 10, not an integer from 256/);
    expectRejected({ ...doc(), trees: [] }, 'field trees must be an array of 1 to 10000 trees');
  });

  it('rejects trees of the wrong shape', () => {
    const d = doc();
    d.trees[2] = [] as unknown as MutableTree;
    expectRejected(d, 'trees[2] is not an object');
    const e = doc();
    delete (tree(e) as Partial<MutableTree>).threshold;
    expectRejected(e, 'trees[1].threshold is not an array');
    const f = doc();
    tree(f).size.pop();
    expectRejected(f, /trees\[1\].size has \d+ entries but trees\[1\].feature has \d+/);
  });

  it('rejects a non-finite threshold (NaN becomes null in JSON)', () => {
    const d = doc();
    tree(d).threshold[0] = null;
    expectRejected(d, 'trees[1].threshold[0] is null, not a finite number above -Number.MAX_VALUE');
    const e = doc();
    tree(e).threshold[0] = -Number.MAX_VALUE;
    expectRejected(e, /trees\[1\].threshold\[0\] is -1.79\d+e\+308, not a finite number above/);
  });

  it('rejects a feature outside the row', () => {
    const d = doc();
    tree(d).feature[0] = 3;
    expectRejected(d, 'trees[1].feature[0] is 3, not an integer from -1 to 2');
  });

  it('rejects a child that points back up the tree (a cycle)', () => {
    const d = doc();
    const t = tree(d);
    const node = firstInternal(t, 1);
    t.left[node] = node - 1;
    expectRejected(d, new RegExp(`trees\\[1\\].left\\[${node}\\] is ${node - 1}, not an integer from ${node + 1}`));
  });

  it('rejects a node claimed by two parents', () => {
    // Nodes 1 and 2 both name 3 and 4 as their children; every size still adds up.
    const shared = { feature: [0, 1, 1, -1, -1], threshold: [0.5, 1, 2, 0, 0], left: [1, 3, 3, -1, -1], size: [4, 2, 2, 1, 1] };
    const header = { format: ISOLATION_FOREST_FORMAT, dimensions: 2, subsample: 4, maxDepth: 2, seed: 0, trainingRows: 4 };
    expectRejected({ ...header, trees: [shared] }, 'trees[0] node 3 has 2 parents instead of 1');
  });

  it('rejects sizes that do not add up and a root that is not the whole subsample', () => {
    const d = doc();
    tree(d).size[0] = 255;
    expectRejected(d, 'trees[1].size[0] is 255, but the root holds the whole subsample of 256');
    const e = doc();
    const t = tree(e);
    const child = t.left[0] as number;
    t.size[child] = (t.size[child] as number) + 1;
    expectRejected(e, "trees[1].size[0] is 256, but its children's sizes add up to 257");
  });

  it('rejects a node deeper than maxDepth', () => {
    expectRejected({ ...doc(), maxDepth: 2 }, /trees\[0\] node \d+ is at depth 3, deeper than maxDepth 2/);
  });

  it('rejects a leaf with a child', () => {
    const d = doc();
    const t = tree(d);
    const leaf = t.feature.indexOf(-1);
    t.left[leaf] = leaf + 1;
    expectRejected(d, `trees[1].left[${leaf}] is ${leaf + 1}, not -1`);
  });
});
