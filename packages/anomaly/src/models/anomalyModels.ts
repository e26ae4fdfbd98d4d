// The anomaly engine's learned models as one versioned document, kept in the model store
// (`<store>/models/anomaly.json` embedded, a Redis key distributed): what `sidetap models train`
// writes, `show` prints, `export`/`import` move and `diff` compares. A replay or run that finds
// one starts with it learned.
import type { ModelStore } from '@sidetap/core';
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

/** The model store's name for this document. */
export const ANOMALY_MODELS_DOCUMENT = 'anomaly';

/** The models in the store, or undefined when none were trained; a damaged document is one sentence naming it. */
export async function readAnomalyModels(store: ModelStore): Promise<AnomalyModels | undefined> {
  const text = await store.get(ANOMALY_MODELS_DOCUMENT);
  return text === undefined ? undefined : parseAnomalyModels(text, store.where(ANOMALY_MODELS_DOCUMENT));
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

/** Replaces the models in the store whole; returns where they went. */
export async function writeAnomalyModels(store: ModelStore, models: AnomalyModels): Promise<string> {
  await store.put(ANOMALY_MODELS_DOCUMENT, JSON.stringify(models, null, 1) + '\n');
  return store.where(ANOMALY_MODELS_DOCUMENT);
}
