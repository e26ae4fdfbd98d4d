// Header fields as the plain record an exchange carries (lower-case name → value).

/** A field named "__proto__" must become an own property, not a prototype change. */
export function setField(out: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  else out[name] = value;
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
  return k < 64 ? namedBefore(fields, k, name) : typeof record[name] === 'string';
}
