// Config options set from the environment, applied over the file before validation.
//
// Convention: <PREFIX><SECTION>__<KEY>[__<KEY>...]=value, the prefix being SIDETAP_. A double
// underscore separates the path; each segment is the option's name in SNAKE_CASE, matched against
// the schema (SIDETAP_CAPTURE__FLOW_TABLE_MAX=1000 sets capture.flowTableMax), so a misspelt
// variable is an error naming it instead of a setting silently ignored. Only names that start with
// the prefix AND contain `__` after it are overrides: single-underscore variables such as
// SIDETAP_REDACTION_KEY have other uses. A value is read by the type of the option it sets:
// numbers, true/false, strings and enum values as written, lists as comma-separated items; a list,
// mapping or untyped option whose value starts with [ or { is read as JSON.
import { ConfigError } from './configError';
import { dottedPath, knownOptions, renderValue } from './configMessages';
import { acceptsAnyKey, childSchema, expectation, literalValues, objectKeys, schemaKind, unionMembers } from './schemaWalk';
import type { Schema } from './schemaWalk';

export interface EnvOverride {
  variable: string;
  /** The value as written in the environment. */
  raw: string;
  /** The option it set, in the schema's own key names. */
  path: readonly string[];
}

export type Env = Readonly<Record<string, string | undefined>>;

export const envConventionHint = (prefix: string): string =>
  `overrides are named ${prefix}<SECTION>__<KEY> with each key in SNAKE_CASE, e.g. ${prefix}CAPTURE__MAX_FLOWS for capture.maxFlows`;

/** Sets every override found in `env` into `data` (mutated); returns them for error attribution. */
export function applyEnvOverrides(data: Record<string, unknown>, schema: Schema, env: Env, prefix: string): EnvOverride[] {
  // Sorted, so SIDETAP_A__B (a whole mapping) is applied before SIDETAP_A__B__C refines it.
  const names = Object.keys(env)
    .filter((name) => name.startsWith(prefix) && name.indexOf('__', prefix.length) >= 0)
    .sort();
  const applied: EnvOverride[] = [];
  for (const variable of names) {
    const raw = env[variable];
    if (raw === undefined) continue;
    const segments = variable.slice(prefix.length).split('__');
    if (segments.some((s) => s === '')) {
      throw new ConfigError(`${variable}: not a valid override name; ${envConventionHint(prefix)}.`, variable);
    }
    const { path, target } = resolvePath(variable, segments, schema, data, prefix);
    setAt(data, path, parseEnvValue(raw, target, variable, path), variable);
    applied.push({ variable, raw, path });
  }
  return applied;
}

function resolvePath(variable: string, segments: readonly string[], schema: Schema, data: unknown, prefix: string): { path: string[]; target: Schema | undefined } {
  const path: string[] = [];
  let s: Schema | undefined = schema;
  let node: unknown = data;
  for (const segment of segments) {
    const key: string | undefined = s === undefined ? camelCase(segment) : matchKey(s, segment, node);
    if (key === undefined) {
      const known = s === undefined ? [] : objectKeys(s);
      const option = dottedPath([...path, camelCase(segment)]);
      throw new ConfigError(
        `${variable}: ${option} is not a known option (${knownOptions(known, camelCase(segment))}); ${envConventionHint(prefix)}.`,
        variable,
        option,
      );
    }
    path.push(key);
    s = s === undefined ? undefined : childSchema(s, key);
    node = isMapping(node) ? node[key] : undefined;
  }
  return { path, target: s };
}

/** The schema key an env segment names: FLOW_TABLE_MAX → flowTableMax, compared without case or underscores. */
function matchKey(schema: Schema, segment: string, node: unknown): string | undefined {
  const wanted = squash(segment);
  const keys = objectKeys(schema).filter((k) => squash(k) === wanted);
  if (keys.length > 1) return keys.find((k) => upperSnake(k) === segment.toUpperCase()) ?? keys[0];
  if (keys.length === 1) return keys[0];
  if (!acceptsAnyKey(schema)) return undefined;
  // A free-form mapping (a record): reuse a key the file already has, else the camelCase form.
  if (isMapping(node)) {
    const existing = Object.keys(node).find((k) => squash(k) === wanted);
    if (existing !== undefined) return existing;
  }
  return camelCase(segment);
}

function parseEnvValue(raw: string, target: Schema | undefined, variable: string, path: readonly string[]): unknown {
  const kind = target === undefined ? 'unknown' : schemaKind(target);
  const fail = (): never => {
    const expected = target === undefined ? 'a valid value' : expectation(target).one;
    throw new ConfigError(`${variable}: ${dottedPath(path)}: expected ${expected}, got ${renderValue(raw)}.`, variable, dottedPath(path));
  };
  switch (kind) {
    case 'string':
    case 'enum':
      // Taken as written, even when it starts with [ (a pattern, say): the option wants text.
      return raw;
    case 'number':
      return parseNumber(raw) ?? fail();
    case 'boolean':
      return parseBoolean(raw) ?? fail();
    case 'array': {
      if (looksLikeJson(raw)) return parseJson(raw) ?? fail();
      if (raw.trim() === '') return [];
      const element = target === undefined ? undefined : childSchema(target, 0);
      const elementKind = element === undefined ? 'unknown' : schemaKind(element);
      return raw.split(',').map((item) => {
        const text = item.trim();
        if (elementKind === 'number') return parseNumber(text) ?? fail();
        if (elementKind === 'boolean') return parseBoolean(text) ?? fail();
        return text;
      });
    }
    case 'object':
    case 'record':
      return looksLikeJson(raw) ? (parseJson(raw) ?? fail()) : fail();
    default:
      return looksLikeJson(raw) ? (parseJson(raw) ?? fail()) : parseScalarForUnion(raw, target);
  }
}

/** For a union or literal: a number or boolean when the schema has such a member, else the text. */
function parseScalarForUnion(raw: string, target: Schema | undefined): unknown {
  if (target === undefined) return raw;
  const kinds = unionMembers(target).map(schemaKind);
  const literals = literalValues(target);
  const n = parseNumber(raw);
  if (n !== undefined && (kinds.includes('number') || literals.includes(n))) return n;
  const b = parseBoolean(raw);
  if (b !== undefined && (kinds.includes('boolean') || literals.includes(b))) return b;
  return raw;
}

function setAt(data: Record<string, unknown>, path: readonly string[], value: unknown, variable: string): void {
  let node = data;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const next = node[key];
    if (next === undefined || next === null) {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    } else if (isMapping(next)) {
      node = next;
    } else {
      const at = dottedPath(path.slice(0, i + 1));
      throw new ConfigError(`${variable}: cannot set ${dottedPath(path)} because ${at} is ${renderValue(next)}, not a mapping.`, variable, dottedPath(path));
    }
  }
  node[path[path.length - 1] as string] = value;
}

function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function parseBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

const looksLikeJson = (raw: string): boolean => /^\s*[[{]/.test(raw);

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

export const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const squash = (name: string): string => name.replace(/_/g, '').toLowerCase();

const upperSnake = (camel: string): string => camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

const camelCase = (snake: string): string => snake.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
