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
