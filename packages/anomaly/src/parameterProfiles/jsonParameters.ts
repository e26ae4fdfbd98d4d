// Leaves of a JSON body as parameters named by path (`user.address.city`, `items[].qty`), walked
// within a depth and a visit budget so a deep or wide hostile document costs a bounded amount.
import type { ParameterCollector } from './parameterCollector';

export interface JsonLimits {
  maxJsonDepth: number;
  maxJsonKeys: number;
  maxNameLength: number;
}

/** Parses and walks `content`; false when it is not JSON. Stopping at a bound is noted as truncation. */
export function collectJson(content: string, collector: ParameterCollector, limits: JsonLimits): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    // Invalid JSON, or nesting deep enough to exhaust the parser's stack: either way no parameters.
    return false;
  }
  const walk = new JsonWalk(collector, limits);
  walk.visit(doc, '$', 1);
  if (walk.truncated) collector.notes.jsonTruncated++;
  return true;
}

class JsonWalk {
  truncated = false;
  private visits = 0;

  constructor(
    private readonly collector: ParameterCollector,
    private readonly limits: JsonLimits,
  ) {}

  /** Returns false when the walk must stop (a budget is spent). Recursion is bounded by maxJsonDepth. */
  visit(node: unknown, path: string, depth: number): boolean {
    if (++this.visits > this.limits.maxJsonKeys) {
      this.truncated = true;
      return false;
    }
    if (node === null || typeof node !== 'object') return this.collector.add('json', path, leafText(node));
    if (depth > this.limits.maxJsonDepth) {
      this.truncated = true;
      return true;
    }
    if (Array.isArray(node)) {
      const itemPath = path === '$' ? '[]' : this.bounded(path + '[]');
      for (const item of node) if (!this.visit(item, itemPath, depth + 1)) return false;
      return true;
    }
    const record = node as Record<string, unknown>;
    for (const key in record) {
      if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
      if (!this.visit(record[key], this.childPath(path, key), depth + 1)) return false;
    }
    return true;
  }

  private childPath(path: string, key: string): string {
    const max = this.limits.maxNameLength;
    const short = key.length > max ? key.slice(0, max) : key;
    return path === '$' ? short : this.bounded(`${path}.${short}`);
  }

  /** Long hostile keys would otherwise make every deeper path longer still. */
  private bounded(path: string): string {
    return path.length > this.limits.maxNameLength ? path.slice(0, this.limits.maxNameLength) : path;
  }
}

/** The value as text: strings as they are, numbers in JSON's notation, booleans and null by name. */
function leafText(leaf: unknown): string {
  if (typeof leaf === 'string') return leaf;
  return String(leaf);
}
