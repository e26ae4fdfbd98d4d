// Reads a zod schema's shape (keys, child schemas, expected values) so config errors and
// environment overrides can speak in the schema's own terms instead of zod's generic messages.
import type { z } from 'zod';

export type Schema = z.core.$ZodType;
type Def = z.core.$ZodTypes['_zod']['def'];

interface CheckDef {
  check: string;
  value?: unknown;
  inclusive?: boolean;
  format?: string;
  minimum?: number;
  maximum?: number;
}

const defOf = (s: Schema): Def => (s as z.core.$ZodTypes)._zod.def;

/** The schema that describes the input, past defaults, optionals, pipes and the like. */
export function unwrapSchema(schema: Schema): Schema {
  let s = schema;
  for (let depth = 0; depth < 32; depth++) {
    const def = defOf(s);
    switch (def.type) {
      case 'default':
      case 'prefault':
      case 'optional':
      case 'nullable':
      case 'nonoptional':
      case 'readonly':
      case 'catch':
        s = def.innerType;
        break;
      case 'pipe':
        s = def.in;
        break;
      case 'lazy':
        s = def.getter();
        break;
      default:
        return s;
    }
  }
  return s;
}

/** The unwrapped kind of schema: 'object', 'array', 'number', ... as zod names it. */
export const schemaKind = (schema: Schema): Def['type'] => defOf(unwrapSchema(schema)).type;

/** The members of a union schema; empty for anything else. */
export function unionMembers(schema: Schema): readonly Schema[] {
  const def = defOf(unwrapSchema(schema));
  return def.type === 'union' ? def.options : [];
}

/** The values a literal schema accepts; empty for anything else. */
export function literalValues(schema: Schema): readonly unknown[] {
  const def = defOf(unwrapSchema(schema));
  return def.type === 'literal' ? def.values : [];
}

/** The option names of an object schema (or of any object in a union); empty for anything else. */
export function objectKeys(schema: Schema): string[] {
  const def = defOf(unwrapSchema(schema));
  if (def.type === 'object') return Object.keys(def.shape);
  if (def.type === 'union') return [...new Set(def.options.flatMap((o) => objectKeys(o)))];
  return [];
}

/** Whether an object at this schema accepts keys it does not list (records, loose objects, unknown). */
export function acceptsAnyKey(schema: Schema): boolean {
  const def = defOf(unwrapSchema(schema));
  switch (def.type) {
    case 'record':
    case 'any':
    case 'unknown':
      return true;
    case 'object':
      return def.catchall !== undefined && defOf(def.catchall).type !== 'never';
    case 'union':
      return def.options.some(acceptsAnyKey);
    default:
      return false;
  }
}

/** The schema of the value at `key` inside `schema`, or undefined when the schema has no such place. */
export function childSchema(schema: Schema, key: PropertyKey): Schema | undefined {
  const def = defOf(unwrapSchema(schema));
  switch (def.type) {
    case 'object':
      return typeof key === 'string' && Object.hasOwn(def.shape, key) ? def.shape[key] : def.catchall;
    case 'record':
      return def.valueType;
    case 'array':
      return typeof key === 'number' ? def.element : undefined;
    case 'tuple':
      return typeof key === 'number' ? (def.items[key] ?? def.rest ?? undefined) : undefined;
    case 'union':
      for (const option of def.options) {
        const child = childSchema(option, key);
        if (child !== undefined) return child;
      }
      return undefined;
    default:
      return undefined;
  }
}

export function schemaAt(schema: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let s: Schema | undefined = schema;
  for (const key of path) {
    if (s === undefined) return undefined;
    s = childSchema(s, key);
  }
  return s;
}

/** What a schema accepts, as a phrase: `one` after "expected", `many` inside "a list of". */
export interface Expectation {
  one: string;
  many: string;
}

export function expectation(schema: Schema): Expectation {
  const s = unwrapSchema(schema);
  const def = defOf(s);
  switch (def.type) {
    case 'number':
      return numberExpectation(def);
    case 'string': {
      const min = checksOf(def).find((c) => c.check === 'min_length')?.minimum;
      if (min === 1) return { one: 'a non-empty string', many: 'non-empty strings' };
      return { one: 'a string', many: 'strings' };
    }
    case 'boolean':
      return { one: 'true or false', many: 'true or false values' };
    case 'enum': {
      const list = Object.values(def.entries).map(String).join(', ');
      return { one: `one of ${list}`, many: `values among ${list}` };
    }
    case 'literal': {
      const list = def.values.map((v) => JSON.stringify(v)).join(' or ');
      return { one: list, many: list };
    }
    case 'array': {
      const inner = expectation(def.element);
      return { one: `a list of ${inner.many}`, many: `lists of ${inner.many}` };
    }
    case 'object':
    case 'record':
      return { one: 'a mapping', many: 'mappings' };
    case 'union': {
      const parts = def.options.map(expectation);
      return { one: parts.map((p) => p.one).join(' or '), many: parts.map((p) => p.many).join(' or ') };
    }
    default:
      return { one: 'a valid value', many: 'valid values' };
  }
}

function checksOf(def: Def): CheckDef[] {
  return (def.checks ?? []).map((c) => c._zod.def as CheckDef);
}

function numberExpectation(def: Def): Expectation {
  const checks = checksOf(def);
  const format = (def as { format?: string }).format;
  const isInt = (format ?? '').includes('int') || checks.some((c) => c.check === 'number_format' && (c.format ?? '').includes('int'));
  const lo = checks.filter((c) => c.check === 'greater_than').pop();
  const hi = checks.filter((c) => c.check === 'less_than').pop();
  const noun = isInt ? 'integer' : 'number';
  const a = isInt ? 'an' : 'a';
  if (lo !== undefined && lo.value === 0 && hi === undefined) {
    const adjective = lo.inclusive === true ? 'non-negative' : 'positive';
    return { one: `a ${adjective} ${noun}`, many: `${adjective} ${noun}s` };
  }
  if (lo !== undefined && hi !== undefined && lo.inclusive === true && hi.inclusive === true) {
    const range = `from ${String(lo.value)} to ${String(hi.value)}`;
    return { one: `${a} ${noun} ${range}`, many: `${noun}s ${range}` };
  }
  const bounds = [
    lo === undefined ? '' : `${lo.inclusive === true ? 'at least' : 'greater than'} ${String(lo.value)}`,
    hi === undefined ? '' : `${hi.inclusive === true ? 'at most' : 'less than'} ${String(hi.value)}`,
  ]
    .filter((b) => b !== '')
    .join(' and ');
  const suffix = bounds === '' ? '' : ` ${bounds}`;
  return { one: `${a} ${noun}${suffix}`, many: `${noun}s${suffix}` };
}
