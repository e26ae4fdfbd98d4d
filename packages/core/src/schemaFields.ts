// Flattens a contract's zod schema into its fields, with dotted ECS paths and index types: the one
// list the Elasticsearch mapping and docs/fields.md are both generated from.
import { z } from 'zod';
import type { FieldType, FieldTypeHint } from './esFieldType';

export interface SchemaField {
  /** Dotted ECS path, such as `http.request.body.bytes`. */
  path: string;
  type: FieldType;
  /** Optional within its parent object (a required field of an optional object is there whenever the object is). */
  optional: boolean;
  /** The value is a list of `type`. */
  array: boolean;
  /** The only values allowed: those of an enum, a literal or a union of literals. */
  values?: readonly (string | number)[];
  description?: string;
}

// The part of JSON Schema that z.toJSONSchema writes for the shapes contracts use. Walking its
// output rather than zod's internal defs keeps this file on zod's public, documented surface.
interface JsonSchemaNode {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  additionalProperties?: boolean | JsonSchemaNode;
  items?: JsonSchemaNode;
  enum?: (string | number)[];
  const?: string | number | boolean;
  anyOf?: JsonSchemaNode[];
  format?: string;
  description?: string;
  esType?: FieldTypeHint;
}

/**
 * Every field of an object schema, parents before their children. Throws on a shape it cannot
 * index (a nullable, a union of objects, a dotted key): that is a contract bug to fix at once.
 */
export function schemaFields(schema: z.ZodObject): SchemaField[] {
  const fields: SchemaField[] = [];
  walkObject(z.toJSONSchema(schema) as JsonSchemaNode, '', fields);
  return fields;
}

function walkObject(node: JsonSchemaNode, prefix: string, out: SchemaField[]): void {
  const required = new Set(node.required ?? []);
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const path = prefix + name;
    // Elasticsearch reads a dot in a key as nesting, so such a key would land somewhere else.
    if (name.includes('.')) throw new Error(`${path}: a contract key must not contain a dot`);
    const array = child.type === 'array';
    const value = array ? child.items : child;
    if (value === undefined) throw new Error(`${path}: an array without an item schema`);
    const type = fieldType(value, path);
    const field: SchemaField = { path, type, optional: !required.has(name), array };
    const values = allowedValues(value);
    if (values !== undefined) field.values = values;
    const description = child.description ?? value.description;
    if (description !== undefined) field.description = description;
    out.push(field);
    if (type === 'object') walkObject(value, `${path}.`, out);
  }
}

function fieldType(node: JsonSchemaNode, path: string): FieldType {
  if (node.esType !== undefined) return hintedType(node, node.esType, path);
  if (node.type === 'object') {
    if (node.properties !== undefined) return 'object';
    // A record (free keys, such as headers): one `flattened` field instead of a mapping per key.
    if (typeof node.additionalProperties === 'object') return 'flattened';
  }
  if (node.format === 'date-time') return 'date';
  // JSON Schema calls a number literal a `number`, even when every allowed value is an integer.
  const values = allowedValues(node);
  if (values !== undefined && values.length > 0 && values.every((v) => Number.isInteger(v))) return 'long';
  const primitives = new Set(primitiveTypes(node));
  if (primitives.size === 1 && primitives.has('string')) return 'keyword';
  if (primitives.size === 1 && primitives.has('integer')) return 'long';
  if (primitives.size === 1 && primitives.has('boolean')) return 'boolean';
  if ([...primitives].every((t) => t === 'number' || t === 'integer') && primitives.size > 0) return 'float';
  // A value that is a number or a string (evidence.observed): Elasticsearch indexes numbers into
  // a keyword field as their text, whereas a numeric field would reject the strings.
  if (primitives.has('string') && [...primitives].every((t) => t === 'string' || t === 'number' || t === 'integer')) {
    return 'keyword';
  }
  throw new Error(`${path}: no index type for ${JSON.stringify(node)}`);
}

function hintedType(node: JsonSchemaNode, hint: FieldTypeHint, path: string): FieldType {
  switch (hint) {
    case 'geo_point':
      if (node.type === 'object' && node.properties?.['lat'] !== undefined && node.properties['lon'] !== undefined) return hint;
      throw new Error(`${path}: esType geo_point needs an object of lat and lon`);
    case 'date':
    case 'ip':
    case 'text':
      if (node.type === 'string') return hint;
      throw new Error(`${path}: esType ${hint} needs a string`);
  }
}

function primitiveTypes(node: JsonSchemaNode): string[] {
  if (typeof node.type === 'string') return [node.type];
  if (Array.isArray(node.type)) return node.type;
  if (node.anyOf !== undefined) return node.anyOf.flatMap(primitiveTypes);
  return [];
}

function allowedValues(node: JsonSchemaNode): (string | number)[] | undefined {
  if (node.enum !== undefined) return node.enum;
  if (typeof node.const === 'string' || typeof node.const === 'number') return [node.const];
  if (node.anyOf !== undefined) {
    const consts = node.anyOf.map((n) => n.const);
    if (consts.every((c): c is string | number => typeof c === 'string' || typeof c === 'number')) return consts;
  }
  return undefined;
}
