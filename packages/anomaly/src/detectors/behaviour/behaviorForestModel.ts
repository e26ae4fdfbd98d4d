// The behaviour forest's learned model: the isolation forest, the per-feature learned quantiles
// that explain its verdicts, and the threshold taken from the training sessions' own scores. Its
// document also carries the samples of sessions the detector keeps retraining from, and is checked
// with zod (and the forest by its own reader) so a damaged or foreign model fails at load in one
// sentence. Documents of the first format (no samples) are still read.
import { z } from 'zod';
import { IsolationForest } from '../../isolationForest';
import { featureScales, learnQuantiles, quantileSorted, type FeatureQuantiles } from './featureQuantiles';
import { LearnedNeighbours } from './learnedNeighbours';
import { rowReservoirDocumentSchema } from './rowReservoir';
import type { RowReservoirDocument } from './rowReservoir';
import { FEATURE_NAMES, FEATURES } from './sessionFeatures';

export const BEHAVIOR_FOREST_FORMAT = 'sidetap-behavior-forest/2';
/** The first format: the same model without the samples or the training time (read, no longer written). */
export const BEHAVIOR_FOREST_FORMAT_1 = 'sidetap-behavior-forest/1';

export interface TrainSettings {
  seed: number;
  trees: number;
  subsample: number;
  /** Quantile of the training sessions' scores the threshold starts from. */
  thresholdQuantile: number;
  /** Added to that score: training rows score a little lower than unseen normal sessions. */
  thresholdMargin: number;
  /** How many learned sessions a new one must be close to, to count as known. */
  neighbours: number;
}

/** Share of learned sessions whose own k-th neighbour distance the gate covers. */
const NEIGHBOUR_QUANTILE = 0.99;

const quantilesSchema = z
  .object({ p1: z.array(z.number()), p50: z.array(z.number()), p99: z.array(z.number()) })
  .strict();

/** The bounded samples of sessions the detector trains from: longer ones for the forest, all for comparison. */
export interface ForestSamples {
  training: RowReservoirDocument;
  reference: RowReservoirDocument;
}

export const behaviorForestModelSchema = z
  .object({
    format: z.enum([BEHAVIOR_FOREST_FORMAT_1, BEHAVIOR_FOREST_FORMAT]),
    /** Event time (ms) the model was trained at; the next retraining is due retrainMs after it. */
    trainedAt: z.number().optional(),
    features: z.array(z.string()),
    trainingRows: z.number().int().min(2),
    threshold: z.number().gt(0).max(1),
    /** Scores of the training sessions, for people judging the threshold. */
    trainingScores: z.object({ p50: z.number(), p99: z.number(), max: z.number() }).strict(),
    quantiles: quantilesSchema,
    /** Learned sessions (rows divided by scales) that a new session is compared with. */
    reference: z
      .object({
        scales: z.array(z.number().positive()),
        k: z.number().int().min(1),
        gate: z.number().min(0),
        rows: z.array(z.array(z.number())).min(1),
      })
      .strict(),
    forest: z.unknown(),
    samples: z.object({ training: rowReservoirDocumentSchema, reference: rowReservoirDocumentSchema }).strict().optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.format !== BEHAVIOR_FOREST_FORMAT) return;
    if (d.trainedAt === undefined) ctx.addIssue({ code: 'custom', path: ['trainedAt'], message: `required in ${BEHAVIOR_FOREST_FORMAT}` });
    if (d.samples === undefined) ctx.addIssue({ code: 'custom', path: ['samples'], message: `required in ${BEHAVIOR_FOREST_FORMAT}` });
  });

export type BehaviorForestModelDocument = z.output<typeof behaviorForestModelSchema>;

export class BehaviorForestModel {
  private constructor(
    readonly forest: IsolationForest,
    readonly quantiles: FeatureQuantiles,
    readonly threshold: number,
    readonly trainingRows: number,
    readonly trainingScores: { p50: number; p99: number; max: number },
    readonly neighbours: LearnedNeighbours,
    /** Event time it was trained at; unknown for a model of the first format. */
    readonly trainedAt: number | undefined,
  ) {}

  /**
   * Trains the forest and quantiles on `rows` (at least 2) and keeps `reference` (learned
   * sessions, shorter ones too) to compare new sessions with; the same inputs give the same model.
   * `at`: the event time it is trained at.
   */
  static train(rows: readonly Float64Array[], reference: readonly Float64Array[], s: TrainSettings, at: number): BehaviorForestModel {
    const forest = IsolationForest.train(rows, { seed: s.seed, trees: s.trees, subsample: s.subsample });
    const scores = forest.scoreMany(rows).sort();
    const threshold = Math.min(1, quantileSorted(scores, s.thresholdQuantile) + s.thresholdMargin);
    const trainingScores = { p50: quantileSorted(scores, 0.5), p99: quantileSorted(scores, 0.99), max: scores[scores.length - 1]! };
    const quantiles = learnQuantiles(rows, FEATURES.length);
    const neighbours = LearnedNeighbours.learn(reference.length > 0 ? reference : rows, featureScales(quantiles, FEATURES), s.neighbours, NEIGHBOUR_QUANTILE);
    return new BehaviorForestModel(forest, quantiles, threshold, rows.length, trainingScores, neighbours, at);
  }

  /** Loads an exported document and the samples it carries (none in the first format); throws one sentence naming the fault. */
  static fromDocument(doc: unknown): { model: BehaviorForestModel; samples: ForestSamples | undefined } {
    const parsed = behaviorForestModelSchema.safeParse(doc);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined || issue.path.length === 0 ? 'document' : issue.path.join('.');
      throw new Error(`behavior_forest model: ${where}: ${issue?.message ?? 'invalid'}.`);
    }
    const m = parsed.data;
    if (m.features.join(',') !== FEATURE_NAMES.join(',')) {
      throw new Error(`behavior_forest model: features are [${m.features.join(', ')}], not the [${FEATURE_NAMES.join(', ')}] this version computes; train it again.`);
    }
    for (const k of ['p1', 'p50', 'p99'] as const) {
      if (m.quantiles[k].length !== FEATURES.length) throw new Error(`behavior_forest model: quantiles.${k} has ${m.quantiles[k].length} values, not ${FEATURES.length}.`);
    }
    const ref = m.reference;
    if (ref.scales.length !== FEATURES.length) throw new Error(`behavior_forest model: reference.scales has ${ref.scales.length} values, not ${FEATURES.length}.`);
    const bad = ref.rows.findIndex((r) => r.length !== FEATURES.length);
    if (bad >= 0) throw new Error(`behavior_forest model: reference.rows.${bad} has ${ref.rows[bad]!.length} values, not ${FEATURES.length}.`);
    const neighbours = new LearnedNeighbours(ref.rows.map((r) => Float64Array.from(r)), ref.scales, ref.k, ref.gate);
    const forest = IsolationForest.fromJSON(m.forest);
    if (forest.dimensions !== FEATURES.length) throw new Error(`behavior_forest model: the forest has ${forest.dimensions} features, not ${FEATURES.length}.`);
    for (const [name, sample] of Object.entries(m.samples ?? {})) {
      const bad = sample.rows.findIndex((r) => r.length !== FEATURES.length);
      if (bad >= 0) throw new Error(`behavior_forest model: samples.${name}.rows.${bad} has ${sample.rows[bad]!.length} values, not ${FEATURES.length}.`);
    }
    return { model: new BehaviorForestModel(forest, m.quantiles, m.threshold, m.trainingRows, m.trainingScores, neighbours, m.trainedAt), samples: m.samples };
  }

  score(row: Float64Array): number {
    return this.forest.score(row);
  }

  /** The document of the model, the samples the detector retrains from and when it was (last) trained. */
  toDocument(samples: ForestSamples, trainedAt: number): BehaviorForestModelDocument {
    return {
      format: BEHAVIOR_FOREST_FORMAT,
      trainedAt,
      features: [...FEATURE_NAMES],
      trainingRows: this.trainingRows,
      threshold: this.threshold,
      trainingScores: this.trainingScores,
      quantiles: this.quantiles,
      reference: {
        scales: [...this.neighbours.scales],
        k: this.neighbours.k,
        gate: this.neighbours.gate,
        rows: this.neighbours.scaledRows().map((r) => Array.from(r)),
      },
      forest: this.forest.toJSON(),
      samples,
    };
  }

  summary(): string {
    const f3 = (x: number) => x.toFixed(3);
    const lines = [
      `trained on ${this.trainingRows} sessions; threshold ${f3(this.threshold)} (training scores: p50 ${f3(this.trainingScores.p50)}, p99 ${f3(this.trainingScores.p99)}, max ${f3(this.trainingScores.max)})`,
      `${this.neighbours.scaledRows().length} learned sessions kept for comparison; a session within ${f3(this.neighbours.gate)} (scaled) of its ${this.neighbours.k} nearest is taken as known`,
      `  ${'feature'.padEnd(24)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}`,
    ];
    FEATURES.forEach((spec, f) => {
      lines.push(`  ${spec.name.padEnd(24)} ${spec.show(this.quantiles.p50[f]!).padStart(8)} ${spec.show(this.quantiles.p99[f]!).padStart(8)}`);
    });
    return lines.join('\n');
  }
}

