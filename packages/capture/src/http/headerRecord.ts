// Header fields as the plain record an exchange carries (lower-case name → value).

/**
 * The key a field named "__proto__" is kept under: brackets are never in a field name (RFC 9110
 * token), so it meets no real one. As an own "__proto__" key it would be lost or refused further
 * on (zod records leave it out, MessagePack decoders refuse it), and the request with it.
 */
const PROTO_FIELD_KEY = '[__proto__]';

const keyOf = (name: string): string => (name === '__proto__' ? PROTO_FIELD_KEY : name);

/** Sets the field, or when `repeated` (an earlier one of the name was set) appends to it with ", ". */
export function setField(out: Record<string, string>, name: string, value: string, repeated: boolean): void {
  const key = keyOf(name);
  out[key] = repeated ? `${out[key] as string}, ${value}` : value;
}

/** Whether a field before index k of `fields` ([name, value, ...]) is named `name`; names are mostly interned, so this is a few pointer compares. */
export function namedBefore(fields: readonly string[], k: number, name: string): boolean {
  for (let j = 0; j < k; j += 2) if (fields[j] === name) return true;
  return false;
}

/**
 * Whether `record`, filled from fields[0, k), already holds `name`: namedBefore for small heads,
 * the record itself for big ones, so thousands of fields stay linear.
 */
export function seenBefore(record: Readonly<Record<string, string>>, fields: readonly string[], k: number, name: string): boolean {
  // Only an own property holds a string: what the prototype offers ("__proto__", "constructor") never does.
  return k < 64 ? namedBefore(fields, k, name) : typeof record[keyOf(name)] === 'string';
}
