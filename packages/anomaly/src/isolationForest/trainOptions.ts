// Training options with their defaults and bounds; a bad option or training set fails in one
// sentence naming it, since training happens at start-up or from `sidetap models train`.
export type FeatureRow = Float64Array | readonly number[];

export interface IsolationForestTrainOptions {
  /** Seed of the random source (0 to 4294967295): the same rows and seed give the same forest. */
  readonly seed: number;
  /** Trees in the forest; default 100, as in the paper. */
  readonly trees?: number;
  /** Rows drawn (without replacement) for each tree; default 256, as in the paper. */
  readonly subsample?: number;
  /** Height limit of each tree; default ceil(log2(subsample)), the paper's average height. */
  readonly maxDepth?: number;
}

export interface ResolvedTrainOptions {
  readonly seed: number;
  readonly trees: number;
  /** The subsample actually drawn: the option, or every row when there are fewer. */
  readonly subsample: number;
  readonly maxDepth: number;
  readonly dimensions: number;
}

// Bounds keep a model's memory set by configuration: at most trees × (2·subsample − 1) nodes.
export const MAX_TREES = 10_000;
export const MAX_SUBSAMPLE = 65_536;
const UINT32_MAX = 0xffffffff;

export function resolveTrainOptions(
  rows: readonly FeatureRow[],
  options: IsolationForestTrainOptions,
): ResolvedTrainOptions {
  const seed = checkInteger('seed', options.seed, 0, UINT32_MAX);
  const trees = checkInteger('trees', options.trees ?? 100, 1, MAX_TREES);
  const requested = checkInteger('subsample', options.subsample ?? 256, 2, MAX_SUBSAMPLE);
  const dimensions = checkRows(rows);
  const subsample = Math.min(requested, rows.length);
  const maxDepth = checkInteger('maxDepth', options.maxDepth ?? Math.ceil(Math.log2(subsample)), 1, MAX_SUBSAMPLE);
  return { seed, trees, subsample, maxDepth, dimensions };
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`isolation forest option ${name} must be an integer from ${min} to ${max}, not ${String(value)}.`);
  }
  return value;
}

/** Checks every row has the same, non-zero length and returns it. */
function checkRows(rows: readonly FeatureRow[]): number {
  // c(subsample) must be positive to turn path lengths into scores, which takes two rows.
  if (rows.length < 2) {
    throw new RangeError(`an isolation forest needs at least 2 training rows, not ${rows.length}.`);
  }
  const dimensions = rows[0]!.length;
  if (dimensions < 1) throw new RangeError('isolation forest training rows have no features.');
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.length !== dimensions) {
      throw new RangeError(`isolation forest training row ${i} has ${rows[i]!.length} features; row 0 has ${dimensions}.`);
    }
  }
  return dimensions;
}
