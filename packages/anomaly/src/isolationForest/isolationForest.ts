// Isolation forest (Liu, Ting & Zhou 2008) for the behavior_anomaly detector: seeded training on
// subsamples, scoring over flat typed arrays, and a versioned JSON document for the model store.
import { averagePathLength } from './averagePathLength';
import type { ForestNodes } from './forestNodes';
import { ForestWalker } from './forestWalker';
import { growForest } from './growForest';
import {
  readDocument,
  writeDocument,
  type ForestMeta,
  type IsolationForestDocument,
} from './isolationForestDocument';
import { splitSpaceValue } from './splitSpaceValue';
import { resolveTrainOptions, type FeatureRow, type IsolationForestTrainOptions } from './trainOptions';

export class IsolationForest {
  /** c(subsample): the average path length that scores 0.5. */
  private readonly normalizer: number;
  /** The row being scored, copied so the walk reads one array type whatever the caller passed. */
  private readonly row: Float64Array;
  private readonly walker: ForestWalker;

  private constructor(
    private readonly meta: ForestMeta,
    private readonly nodes: ForestNodes,
  ) {
    this.normalizer = averagePathLength(meta.subsample);
    this.row = new Float64Array(meta.dimensions);
    this.walker = new ForestWalker(nodes);
  }

  /** Trains on `rows` (all of one length); the same rows, options and seed give the same forest. */
  static train(rows: readonly FeatureRow[], options: IsolationForestTrainOptions): IsolationForest {
    const resolved = resolveTrainOptions(rows, options);
    const { dimensions, subsample, maxDepth, seed } = resolved;
    const meta: ForestMeta = { dimensions, subsample, maxDepth, seed, trainingRows: rows.length };
    return new IsolationForest(meta, growForest(rows, resolved));
  }

  /** Loads a forest saved by toJSON (parsed JSON); throws IsolationForestDocumentError naming the fault. */
  static fromJSON(doc: unknown): IsolationForest {
    const { meta, nodes } = readDocument(doc);
    return new IsolationForest(meta, nodes);
  }

  /** Features a row must have. */
  get dimensions(): number {
    return this.meta.dimensions;
  }

  /**
   * s(x, ψ) = 2^(−E(h(x)) / c(ψ)), in (0, 1]: near 1 is isolated quickly (anomalous), 0.5 or below
   * is ordinary. A row of the wrong length is a caller's bug and throws.
   */
  score(row: FeatureRow): number {
    this.load(row);
    return this.scoreLoaded();
  }

  /** Scores of many rows, in order. */
  scoreMany(rows: readonly FeatureRow[]): Float64Array {
    const scores = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      this.load(rows[i]!);
      scores[i] = this.scoreLoaded();
    }
    return scores;
  }

  toJSON(): IsolationForestDocument {
    return writeDocument(this.meta, this.nodes);
  }

  private load(source: FeatureRow): void {
    const row = this.row;
    if (source.length !== row.length) {
      throw new RangeError(`isolation forest rows have ${row.length} features, not ${source.length}.`);
    }
    for (let f = 0; f < row.length; f++) row[f] = splitSpaceValue(source[f]!);
  }

  private scoreLoaded(): number {
    return 2 ** (-this.walker.meanPathLength(this.row) / this.normalizer);
  }
}
