// Hashes the values of secret-named fields in a JSON body sample. A document that parses is walked
// whole (iteratively, so nesting depth cannot overflow the stack); a sample cut mid-document falls
// back to rewriting `"name": value` pairs in place, so a truncated sample does not leak either.
import type { Redactor } from '@sidetap/core';
import { isSecretFieldName } from './secretFieldName';

/** Beyond this depth JSON.stringify (recursive in V8) could overflow; such documents take the pair path. */
const MAX_STRINGIFY_DEPTH = 1000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `content` with secret field values replaced by redactor.hash(value); unchanged when none. */
export function redactJson(content: string, redactor: Redactor): string {
  let doc: Json;
  try {
    doc = JSON.parse(content) as Json;
  } catch {
    return redactJsonPairs(content, redactor);
  }
  const walked = redactParsed(doc, redactor);
  if (walked === 'too_deep') return redactJsonPairs(content, redactor);
  return walked ? JSON.stringify(doc) : content;
}

/** Rewrites secret values inside `doc`; true when anything changed. */
function redactParsed(doc: Json, redactor: Redactor): boolean | 'too_deep' {
  let changed = false;
  // Each entry: a container, whether everything under it is secret, and its depth.
  const stack: Array<[Json[] | { [key: string]: Json }, boolean, number]> = [];
  if (typeof doc === 'object' && doc !== null) stack.push([doc, false, 1]);
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, secret, depth] = item;
    if (depth > MAX_STRINGIFY_DEPTH) return 'too_deep';
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i] ?? null;
        if (typeof v === 'object' && v !== null) stack.push([v, secret, depth + 1]);
        else if (secret && (typeof v === 'string' || typeof v === 'number')) {
          node[i] = redactor.hash(String(v));
          changed = true;
        }
      }
      continue;
    }
    for (const key of Object.keys(node)) {
      const v = node[key] ?? null;
      const childSecret = secret || isSecretFieldName(key);
      if (typeof v === 'object' && v !== null) stack.push([v, childSecret, depth + 1]);
      else if (childSecret && (typeof v === 'string' || typeof v === 'number')) {
        node[key] = redactor.hash(String(v));
        changed = true;
      }
    }
  }
  return changed;
}

// "name" : value, where value is a string (possibly cut off by the end of the sample) or a number.
// Each alternative consumes distinct characters, so matching stays linear.
const PAIR = /"((?:[^"\\\n]|\\.){1,256})"(\s*:\s*)(?:"((?:[^"\\]|\\.)*)("?)|(-?\d[\d.eE+-]*))/g;

/** The pair path: only `"secret-name": "value"` and `"secret-name": 123` are rewritten. */
export function redactJsonPairs(content: string, redactor: Redactor): string {
  return content.replace(
    PAIR,
    (match: string, rawName: string, colon: string, str: string | undefined, close: string, num: string | undefined) => {
      if (!isSecretFieldName(unescapeJson(rawName))) return match;
      const value = str !== undefined ? unescapeJson(str) : (num ?? '');
      const hashed = `"${redactor.hash(value)}${str !== undefined ? close : '"'}`;
      return `"${rawName}"${colon}${hashed}`;
    },
  );
}

/** The value of a JSON string body; a cut or malformed escape is kept as written. */
function unescapeJson(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
