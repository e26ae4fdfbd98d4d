// Turns the first zod issue of a failed config parse into a ConfigError sentence that names where
// the bad value came from (the file, or the environment variable that set it).
import type { z } from 'zod';
import { ConfigError } from './configError';
import { dottedPath, knownOptions, renderValue } from './configMessages';
import type { EnvOverride } from './envOverrides';
import { isMapping } from './envOverrides';
import { expectation, objectKeys, schemaAt } from './schemaWalk';
import type { Schema } from './schemaWalk';

export interface IssueContext {
  schema: Schema;
  /** The data that was validated: the file with the overrides applied. */
  data: unknown;
  overrides: readonly EnvOverride[];
  /** The config file as the user named it, or a stand-in when there is none. */
  fileLabel: string;
}

export function configIssueError(issue: z.core.$ZodIssue, ctx: IssueContext): ConfigError {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const full = [...path, key];
    const known = objectKeys(schemaAt(ctx.schema, path) ?? ctx.schema);
    const source = overrideFor(full, ctx.overrides)?.variable ?? ctx.fileLabel;
    return new ConfigError(`${source}: ${dottedPath(full)} is not a known option (${knownOptions(known, key)}).`, source, dottedPath(full));
  }
  const override = overrideFor(path, ctx.overrides);
  const source = override?.variable ?? ctx.fileLabel;
  const option = dottedPath(path);
  const at = option === '' ? '' : `${option}: `;
  const problem = describeProblem(issue, ctx, override);
  return new ConfigError(`${source}: ${at}${problem}.`, source, option);
}

function describeProblem(issue: z.core.$ZodIssue, ctx: IssueContext, override: EnvOverride | undefined): string {
  const value = valueAt(ctx.data, issue.path);
  // The variable's own text reads better than the value it was parsed into.
  const got = override !== undefined && override.path.length === issue.path.length ? renderValue(override.raw) : renderValue(value);
  const target = schemaAt(ctx.schema, issue.path);
  switch (issue.code) {
    case 'too_small':
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'string' || issue.origin === 'set') {
        return `expected ${sizeBound(issue)}, got ${got}`;
      }
      return target === undefined ? plain(issue.message) : expected(target, value, got);
    case 'invalid_type':
    case 'invalid_value':
    case 'invalid_union':
    case 'invalid_format':
    case 'not_multiple_of':
      return target === undefined ? plain(issue.message) : expected(target, value, got);
    default:
      return plain(issue.message);
  }
}

function expected(target: Schema, value: unknown, got: string): string {
  const want = expectation(target).one;
  return value === undefined ? `missing, expected ${want}` : `expected ${want}, got ${got}`;
}

function sizeBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const bound = issue.code === 'too_small' ? 'at least' : 'at most';
  const unit = issue.origin === 'string' ? 'characters' : 'items';
  const noun = issue.origin === 'string' ? 'a string' : 'a list';
  return `${noun} of ${bound} ${String(limit)} ${unit}`;
}

function overrideFor(path: readonly PropertyKey[], overrides: readonly EnvOverride[]): EnvOverride | undefined {
  let best: EnvOverride | undefined;
  for (const o of overrides) {
    if (o.path.length > path.length || (best !== undefined && o.path.length < best.path.length)) continue;
    if (o.path.every((k, i) => path[i] === k)) best = o;
  }
  return best;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isMapping(node) && typeof key === 'string') node = node[key];
    else return undefined;
  }
  return node;
}

/** A message from a refinement, as the end of our sentence. */
function plain(message: string): string {
  const t = message.trim().replace(/\.+$/, '');
  return t.charAt(0).toLowerCase() + t.slice(1);
}
