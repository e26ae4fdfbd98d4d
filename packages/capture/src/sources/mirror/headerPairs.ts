// Header fields as the gateways write them (an object of name → value or values, a list of
// {key, value} or {name, value}), turned into the ordered [name, value] list an exchange is built
// from, with HTTP/2-style pseudo-headers (":method", ":authority") taken out.

import { z } from 'zod';

export type HeaderPair = readonly [string, string];

/**
 * An object of header fields, taken as it is: every own key, "__proto__" too, which a zod record
 * would leave out (and a hostile value with it). pairsFromObject checks the values.
 */
export const headerObjectSchema = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array),
  'expected an object of header fields',
);

/** Values a gateway may log for one header: a string, repeats as a list, or a scalar. */
export function headerValues(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.map(String);
  return undefined;
}

/** Pairs from an object of name → value(s), in the object's order; undefined names the first bad field. */
export function pairsFromObject(headers: Record<string, unknown>): { pairs: HeaderPair[] } | { bad: string } {
  const pairs: HeaderPair[] = [];
  for (const name of Object.keys(headers)) {
    const values = headerValues(headers[name]);
    if (values === undefined) return { bad: name };
    for (const value of values) pairs.push([name, value]);
  }
  return { pairs };
}

export interface SplitHeaders {
  headers: HeaderPair[];
  /** Pseudo-header values by name without the colon ("method", "path", "authority", "scheme", "status"). */
  pseudo: Map<string, string>;
}

/** Takes pseudo-headers out; ":authority" becomes Host when there is none, as an HTTP/1.1 client would send it. */
export function splitPseudoHeaders(pairs: readonly HeaderPair[]): SplitHeaders {
  const headers: HeaderPair[] = [];
  const pseudo = new Map<string, string>();
  let host = false;
  for (const pair of pairs) {
    const name = pair[0];
    if (name.charCodeAt(0) === 0x3a) {
      if (!pseudo.has(name.slice(1))) pseudo.set(name.slice(1), pair[1]);
      continue;
    }
    if (name.length === 4 && name.toLowerCase() === 'host') host = true;
    headers.push(pair);
  }
  const authority = pseudo.get('authority');
  if (!host && authority !== undefined) headers.unshift(['host', authority]);
  return { headers, pseudo };
}

/** The value of `name` (lower-case) in `pairs`, first one. */
export function headerValue(pairs: readonly HeaderPair[], name: string): string | undefined {
  for (const [n, v] of pairs) if (n.length === name.length && n.toLowerCase() === name) return v;
  return undefined;
}
