// What an analyst changed with `sidetap models set` and `models feedback`, kept in the model store
// beside the models (documents `settings` and `suppressions`: `<store>/models/*.json`, or Redis)
// and laid over the configuration of every later replay or run that uses that store.
import { DETECTOR_CONFIG_SCHEMAS, suppressionSchema } from '@sidetap/anomaly';
import type { DetectorName, Suppression } from '@sidetap/anomaly';
import type { ModelStore } from '@sidetap/core';
import type { SidetapConfig } from '../sidetapConfig';
import { UsageError } from '../usageError';

export type DetectorSettings = Partial<Record<DetectorName, Record<string, unknown>>>;

const SETTINGS = 'settings';
const SUPPRESSIONS = 'suppressions';

async function readJson<T>(store: ModelStore, name: string, fallback: T): Promise<T> {
  const text = await store.get(name);
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new UsageError(`${store.where(name)}: not JSON (${(err as Error).message.replace(/\.$/, '')}).`);
  }
}

async function writeJson(store: ModelStore, name: string, value: unknown): Promise<string> {
  await store.put(name, JSON.stringify(value, null, 2) + '\n');
  return store.where(name);
}

export const readSettings = (store: ModelStore): Promise<DetectorSettings> => readJson<DetectorSettings>(store, SETTINGS, {});
export const readSuppressions = (store: ModelStore): Promise<Suppression[]> => readJson<Suppression[]>(store, SUPPRESSIONS, []);

/** The configuration with the store's detector settings and suppressions laid over it. */
export async function withStoredSettings(config: SidetapConfig, store: ModelStore): Promise<SidetapConfig> {
  const settings = await readSettings(store);
  const detectors = { ...config.anomaly.detectors } as Record<string, unknown>;
  for (const [name, values] of Object.entries(settings)) {
    const schema = DETECTOR_CONFIG_SCHEMAS[name as DetectorName];
    if (schema === undefined) throw new UsageError(`${store.where(SETTINGS)}: ${name} is not a detector.`);
    const parsed = schema.safeParse({ ...(detectors[name] as object), ...values });
    if (!parsed.success) throw new UsageError(`${store.where(SETTINGS)}: ${name}.${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}.`);
    detectors[name] = parsed.data;
  }
  const stored = (await readSuppressions(store)).map((s, i) => {
    const parsed = suppressionSchema.safeParse(s);
    if (!parsed.success) throw new UsageError(`${store.where(SUPPRESSIONS)}: entry ${i}: ${parsed.error.issues[0]?.message}.`);
    return parsed.data;
  });
  return {
    ...config,
    anomaly: { ...config.anomaly, detectors: detectors as SidetapConfig['anomaly']['detectors'], suppressions: [...config.anomaly.suppressions, ...stored] },
  };
}

/** `<detector>.<param>=<value>`: checked against the detector's schema before it is stored; returns where. */
export async function setDetectorParam(store: ModelStore, assignment: string): Promise<string> {
  const m = /^([a-z_]+)\.([A-Za-z]+)=(.*)$/.exec(assignment);
  if (m === null) throw new UsageError(`sidetap models set: expected <detector>.<param>=<value>, got "${assignment}".`);
  const [, name, param, text] = m as unknown as [string, string, string, string];
  const schema = DETECTOR_CONFIG_SCHEMAS[name as DetectorName];
  if (schema === undefined) throw new UsageError(`sidetap models set: ${name} is not a detector (known: ${Object.keys(DETECTOR_CONFIG_SCHEMAS).join(', ')}).`);
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // a bare word is a string
  }
  const settings = await readSettings(store);
  const mine = { ...(settings[name as DetectorName] ?? {}), [param]: value };
  const parsed = schema.safeParse(mine);
  if (!parsed.success) throw new UsageError(`sidetap models set: ${name}.${parsed.error.issues[0]?.path.join('.') || param}: ${parsed.error.issues[0]?.message}.`);
  settings[name as DetectorName] = mine;
  return writeJson(store, SETTINGS, settings);
}

/** Adds a suppression; returns where it was written. */
export async function addSuppression(store: ModelStore, suppression: Suppression): Promise<string> {
  const list = await readSuppressions(store);
  list.push(suppression);
  return writeJson(store, SUPPRESSIONS, list);
}
