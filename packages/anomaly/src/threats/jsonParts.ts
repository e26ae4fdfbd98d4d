// JSON body parts: every leaf by its JSONPath, and the keys that are not plain identifiers
// (`$ne`, `a' OR`), where NoSQL operators and injected names hide. A body that does not parse
// (cut by the capture cap, or hostile) still gives up its string literals.
import { JSON_PATHS, walkJson } from '../requestParts/jsonLeaves';
import { NOT_JSON, parseJsonOnce } from '../requestParts/parsedJson';
import type { PartBudget } from './partBudget';

export interface JsonPartLimits {
  maxJsonDepth: number;
  maxJsonNodes: number;
  maxNameLength: number;
}

const PLAIN_KEY = /^[A-Za-z0-9_-]*$/;

export function collectJsonParts(content: string, budget: PartBudget, limits: JsonPartLimits): void {
  const doc = parseJsonOnce(content);
  if (doc === NOT_JSON) {
    salvageStrings(content, budget);
    return;
  }
  const walked = walkJson(doc, { maxDepth: limits.maxJsonDepth, maxVisits: limits.maxJsonNodes, maxPathLength: limits.maxNameLength }, JSON_PATHS, {
    leaf: (path, text) => budget.add('json', path, text, 'plain'),
    key: (path, key) => PLAIN_KEY.test(key) || budget.add('json', path, asKey(key), 'plain', 'key'),
  });
  if (walked.truncated) budget.markCapped();
}

/**
 * How a key is shown to the engines: an operator-like key (`$ne`) as the object member it is, so
 * the NoSQL engine sees an operator in key position (the path still names where it sat).
 */
function asKey(key: string): string {
  return key.startsWith('$') ? JSON.stringify({ [key]: null }) : key;
}

const STRING_LITERAL = /"((?:[^"\\\n]|\\.){0,65536})"(\s*:)?/g;

/** String literals of text that is not valid JSON, named `$..key` after the key before them. */
function salvageStrings(content: string, budget: PartBudget): void {
  let lastKey = '';
  for (const m of content.matchAll(STRING_LITERAL)) {
    const text = unescapeJson(m[1]!);
    if (m[2] !== undefined) {
      lastKey = text;
      if (!PLAIN_KEY.test(text) && !budget.add('json', `$..${text}`, asKey(text), 'plain', 'key')) return;
      continue;
    }
    if (!budget.add('json', lastKey === '' ? '$..' : `$..${lastKey}`, text, 'plain')) return;
  }
}

function unescapeJson(body: string): string {
  if (!body.includes('\\')) return body;
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return body;
  }
}
