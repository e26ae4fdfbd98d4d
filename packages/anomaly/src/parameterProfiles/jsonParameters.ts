// Leaves of a JSON body as parameters named by path (`user.address.city`, `items[].qty`), walked
// within a depth and a visit budget so a deep or wide hostile document costs a bounded amount.
import { PROFILE_PATHS, walkJson } from '../requestParts/jsonLeaves';
import { NOT_JSON, parseJsonOnce } from '../requestParts/parsedJson';
import type { ParameterCollector } from './parameterCollector';

export interface JsonLimits {
  maxJsonDepth: number;
  maxJsonKeys: number;
  maxNameLength: number;
}

/** Parses and walks `content`; false when it is not JSON. Stopping at a bound is noted as truncation. */
export function collectJson(content: string, collector: ParameterCollector, limits: JsonLimits): boolean {
  const doc = parseJsonOnce(content);
  // Invalid JSON, or nesting deep enough to exhaust the parser's stack: either way no parameters.
  if (doc === NOT_JSON) return false;
  const walked = walkJson(
    doc,
    { maxDepth: limits.maxJsonDepth, maxVisits: limits.maxJsonKeys, maxPathLength: limits.maxNameLength },
    PROFILE_PATHS,
    { leaf: (path, text) => collector.add('json', path, text) },
  );
  if (walked.truncated) collector.notes.jsonTruncated++;
  return true;
}
