// Loads sidetap's configuration at start-up: one YAML or JSON file, SIDETAP_* environment overrides
// over it (see envOverrides.ts for the convention), validated by the schema the caller composes.
import type { z } from 'zod';
import { readConfigFile } from './configFile';
import { ConfigError } from './configError';
import { configIssueError } from './configIssue';
import { applyEnvOverrides, isMapping } from './envOverrides';
import type { Env } from './envOverrides';
import { renderValue } from './configMessages';

export interface LoadConfigOptions {
  /** A .yaml, .yml or .json file; without one, the schema's defaults and the environment apply. */
  file?: string | undefined;
  env?: Env | undefined;
  prefix?: string | undefined;
}

/**
 * The validated configuration, or a ConfigError with one sentence naming the file or variable.
 *
 * Sections are expected to be `.strict()` objects whose options carry defaults, each made optional
 * with `.prefault({})` rather than `.default({})`: zod 4 returns a `.default` value as is, without
 * parsing it, so the options inside would not get their own defaults.
 */
export function loadConfig<S extends z.ZodType>(schema: S, options: LoadConfigOptions = {}): z.output<S> {
  const { file, env = process.env, prefix = 'SIDETAP_' } = options;
  const fileLabel = file ?? 'configuration';
  const raw = file === undefined ? undefined : readConfigFile(file);
  // An empty file (or one holding only comments) reads as null: every default applies.
  if (raw !== undefined && raw !== null && !isMapping(raw)) {
    const what = Array.isArray(raw) ? 'a list' : renderValue(raw);
    throw new ConfigError(`${fileLabel}: expected a mapping of sections at the top level, got ${what}.`, fileLabel);
  }
  const data: Record<string, unknown> = raw ?? {};
  const overrides = applyEnvOverrides(data, schema, env, prefix);
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue === undefined) throw new ConfigError(`${fileLabel}: invalid configuration.`, fileLabel);
  throw configIssueError(issue, { schema, data, overrides, fileLabel });
}
