// What an analyst changed with `sidetap models set` and `models feedback`, kept in the model store
// beside the models (`<store>/models/settings.json`, `suppressions.json`) and laid over the
// configuration of every later replay or run that uses that store.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETECTOR_CONFIG_SCHEMAS, suppressionSchema } from '@sidetap/anomaly';
import type { DetectorName, Suppression } from '@sidetap/anomaly';
import type { SidetapConfig } from '../sidetapConfig';
import { UsageError } from '../usageError';

export type DetectorSettings = Partial<Record<DetectorName, Record<string, unknown>>>;

const settingsFile = (store: string) => join(store, 'models', 'settings.json');
const suppressionsFile = (store: string) => join(store, 'models', 'suppressions.json');

function readJson<T>(file: string, fallback: T): T {
  if (!existsSync(file)) return fallback;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new UsageError(`${file}: not JSON (${(err as Error).message.replace(/\.$/, '')}).`);
  }
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(value, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

export const readSettings = (store: string): DetectorSettings => readJson<DetectorSettings>(settingsFile(store), {});
export const readSuppressions = (store: string): Suppression[] => readJson<Suppression[]>(suppressionsFile(store), []);

/** The configuration with the store's detector settings and suppressions laid over it. */
export function withStoredSettings(config: SidetapConfig, store: string): SidetapConfig {
  const settings = readSettings(store);
  const detectors = { ...config.anomaly.detectors } as Record<string, unknown>;
  for (const [name, values] of Object.entries(settings)) {
    const schema = DETECTOR_CONFIG_SCHEMAS[name as DetectorName];
    if (schema === undefined) throw new UsageError(`${settingsFile(store)}: ${name} is not a detector.`);
    const parsed = schema.safeParse({ ...(detectors[name] as object), ...values });
    if (!parsed.success) throw new UsageError(`${settingsFile(store)}: ${name}.${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}.`);
    detectors[name] = parsed.data;
  }
  const stored = readSuppressions(store).map((s, i) => {
    const parsed = suppressionSchema.safeParse(s);
    if (!parsed.success) throw new UsageError(`${suppressionsFile(store)}: entry ${i}: ${parsed.error.issues[0]?.message}.`);
    return parsed.data;
  });
  return {
    ...config,
    anomaly: { ...config.anomaly, detectors: detectors as SidetapConfig['anomaly']['detectors'], suppressions: [...config.anomaly.suppressions, ...stored] },
  };
}

/** `<detector>.<param>=<value>`: checked against the detector's schema before it is stored. */
export function setDetectorParam(store: string, assignment: string): string {
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
  const settings = readSettings(store);
  const mine = { ...(settings[name as DetectorName] ?? {}), [param]: value };
  const parsed = schema.safeParse(mine);
  if (!parsed.success) throw new UsageError(`sidetap models set: ${name}.${parsed.error.issues[0]?.path.join('.') || param}: ${parsed.error.issues[0]?.message}.`);
  settings[name as DetectorName] = mine;
  writeJson(settingsFile(store), settings);
  return settingsFile(store);
}

export function addSuppression(store: string, suppression: Suppression): string {
  const list = readSuppressions(store);
  list.push(suppression);
  writeJson(suppressionsFile(store), list);
  return suppressionsFile(store);
}
