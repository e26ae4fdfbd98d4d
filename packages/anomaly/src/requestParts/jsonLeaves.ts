// Leaves of a parsed JSON document, walked depth-first within a depth and a visit budget so a
// deep or wide hostile document costs a bounded amount. How a leaf is named is the caller's
// choice: parameter profiles collapse array indices (`items[].qty`), threat findings keep them
// (`$.items[0].qty`).

export interface JsonWalkLimits {
  /** Containers deeper than this are not entered (noted as truncation). */
  maxDepth: number;
  /** Nodes visited (containers and leaves) before the walk stops (noted as truncation). */
  maxVisits: number;
  /** Longer keys and paths are cut to this many characters. */
  maxPathLength: number;
}

/** How paths are written: the root, a member of an object, an item of an array. */
export interface JsonPathStyle {
  readonly root: string;
  child(path: string, key: string): string;
  item(path: string, index: number): string;
}

/** `user.address.city`, `items[].qty`: one parameter per list, whatever its length. */
export const PROFILE_PATHS: JsonPathStyle = {
  root: '$',
  child: (path, key) => (path === '$' ? key : `${path}.${key}`),
  item: (path) => (path === '$' ? '[]' : `${path}[]`),
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** JSONPath as analysts write it: `$.items[0].name`, `$['odd key']`. */
export const JSON_PATHS: JsonPathStyle = {
  root: '$',
  child: (path, key) => (IDENTIFIER.test(key) ? `${path}.${key}` : `${path}['${key.replace(/['\\]/g, '\\$&')}']`),
  item: (path, index) => `${path}[${index}]`,
};

export interface JsonVisitor {
  /** A leaf as text; false stops the walk (the caller's budget is spent). */
  leaf(path: string, text: string): boolean;
  /** An object member's key, before its value; false stops the walk. Optional. */
  key?(path: string, key: string): boolean;
}

/** Walks `doc`; returns whether it stopped at maxDepth or maxVisits. */
export function walkJson(doc: unknown, limits: JsonWalkLimits, style: JsonPathStyle, visitor: JsonVisitor): { truncated: boolean } {
  const walk = new JsonWalk(limits, style, visitor);
  walk.visit(doc, style.root, 1);
  return { truncated: walk.truncated };
}

class JsonWalk {
  truncated = false;
  private visits = 0;

  constructor(
    private readonly limits: JsonWalkLimits,
    private readonly style: JsonPathStyle,
    private readonly visitor: JsonVisitor,
  ) {}

  /** Returns false when the walk must stop (a budget is spent). Recursion is bounded by maxDepth. */
  visit(node: unknown, path: string, depth: number): boolean {
    if (++this.visits > this.limits.maxVisits) {
      this.truncated = true;
      return false;
    }
    if (node === null || typeof node !== 'object') return this.visitor.leaf(path, leafText(node));
    if (depth > this.limits.maxDepth) {
      this.truncated = true;
      return true;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) if (!this.visit(node[i], this.bounded(this.style.item(path, i)), depth + 1)) return false;
      return true;
    }
    const record = node as Record<string, unknown>;
    const max = this.limits.maxPathLength;
    for (const key in record) {
      if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
      const short = key.length > max ? key.slice(0, max) : key;
      const childPath = this.bounded(this.style.child(path, short));
      if (this.visitor.key !== undefined && !this.visitor.key(childPath, key)) return false;
      if (!this.visit(record[key], childPath, depth + 1)) return false;
    }
    return true;
  }

  /** Long hostile keys would otherwise make every deeper path longer still. */
  private bounded(path: string): string {
    return path.length > this.limits.maxPathLength ? path.slice(0, this.limits.maxPathLength) : path;
  }
}

/** The value as text: strings as they are, numbers in JSON's notation, booleans and null by name. */
function leafText(leaf: unknown): string {
  if (typeof leaf === 'string') return leaf;
  return String(leaf);
}
