// The anomaly engine's learned models as one versioned document, kept in the model store
// (`<store>/models/anomaly.json` embedded): what `sidetap models train` writes, `show` prints,
// `export`/`import` move and `diff` compares. A replay that finds one starts with it learned.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const ANOMALY_MODELS_FORMAT = 'sidetap-anomaly-models/2';

export const anomalyModelsSchema = z
  .object({
    format: z.literal(ANOMALY_MODELS_FORMAT),
    /** When (wall clock) and from what the models were trained: for people, not for the engine. */
    trainedAt: z.string(),
    trainedOn: z.array(z.string()),
    /** Event-time span the models learned from. */
    learnedFrom: z.string().optional(),
    learnedUntil: z.string().optional(),
    /** Each detector's own model, by detector name; each detector validates its own part when it loads it. */
    detectors: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type AnomalyModels = z.output<typeof anomalyModelsSchema>;

export const modelsFile = (storeDir: string): string => join(storeDir, 'models', 'anomaly.json');

/** The models in the store, or undefined when none were trained; a damaged file is one sentence naming it. */
export function readAnomalyModels(storeDir: string): AnomalyModels | undefined {
  const file = modelsFile(storeDir);
  if (!existsSync(file)) return undefined;
  return parseAnomalyModels(readFileSync(file, 'utf8'), file);
}

export function parseAnomalyModels(text: string, file: string): AnomalyModels {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON (${(err as Error).message.replace(/\.$/, '')})`);
  }
  const parsed = anomalyModelsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'} (expected a ${ANOMALY_MODELS_FORMAT} document)`);
  }
  return parsed.data;
}

/** Writes atomically (rename), so a reader never sees half a model. */
export function writeAnomalyModels(storeDir: string, models: AnomalyModels): string {
  const file = modelsFile(storeDir);
  mkdirSync(join(storeDir, 'models'), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(models, null, 1) + '\n');
  renameSync(`${file}.tmp`, file);
  return file;
}
