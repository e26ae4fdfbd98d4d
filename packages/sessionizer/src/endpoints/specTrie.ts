// OpenAPI paths compiled into a segment trie: a request walks it once, literal edges before
// mixed (`{name}.json`) edges before whole-segment parameters, which is the spec's rule that a
// concrete path beats a templated one.
import type { EndpointMatch } from './endpointMatch';
import type { OpenApiRoutes } from './openApiRoutes';
import { splitRequestPath } from './requestPath';
import { MAX_LITERAL_LENGTH } from './segmentShape';

/** One spec path under one server prefix, with its match result per declared method ready. */
export interface SpecRoute {
  template: string;
  declared: Map<string, EndpointMatch>;
  undeclared: EndpointMatch;
}

interface MixedEdge {
  pattern: RegExp;
  /** Literal chars in the pattern: more literal text is the more specific edge. */
  weight: number;
  node: TrieNode;
}

interface TrieNode {
  literals: Map<string, TrieNode> | undefined;
  mixed: MixedEdge[] | undefined;
  param: TrieNode | undefined;
  route: SpecRoute | undefined;
}

/** Candidates kept per path: enough to find the best path declaring the request's method. */
const MAX_CANDIDATES = 4;
/** Trie nodes one lookup may visit; bounds backtracking on specs that mix literals and params everywhere. */
const MAX_VISITS = 4096;

export class SpecTrie {
  private readonly root: TrieNode = newNode();

  constructor(spec: OpenApiRoutes) {
    for (const route of spec.routes) {
      const declared = new Map<string, EndpointMatch>();
      for (const template of route.templates) {
        for (const op of route.operations) {
          const match: EndpointMatch = { template, source: 'spec', inSpec: true, methodDeclared: true };
          if (op.operationId !== undefined) match.operationId = op.operationId;
          declared.set(op.method, Object.freeze(match));
        }
        this.insert(template, declared);
        declared.clear();
      }
    }
  }

  /** Spec routes matching the segments, best first; empty when no spec path matches. */
  match(segments: readonly string[]): SpecRoute[] {
    const found: SpecRoute[] = [];
    const budget = { visits: MAX_VISITS };
    collect(this.root, segments, 0, found, budget);
    return found;
  }

  private insert(template: string, declared: Map<string, EndpointMatch>): void {
    let node = this.root;
    for (const segment of splitRequestPath(template, Number.MAX_SAFE_INTEGER).segments) node = child(node, segment);
    const undeclared = Object.freeze<EndpointMatch>({ template, source: 'spec', inSpec: true, methodDeclared: false });
    if (node.route === undefined) {
      node.route = { template, declared: new Map(declared), undeclared };
      return;
    }
    // Two spec paths differing only in parameter names (invalid, but common): the first keeps
    // the path, the second still contributes the methods the first does not declare.
    for (const [method, match] of declared) if (!node.route.declared.has(method)) node.route.declared.set(method, match);
  }
}

function newNode(): TrieNode {
  return { literals: undefined, mixed: undefined, param: undefined, route: undefined };
}

function child(node: TrieNode, segment: string): TrieNode {
  const open = segment.indexOf('{');
  const close = segment.indexOf('}', open);
  if (open < 0 || close < 0) {
    node.literals ??= new Map();
    let next = node.literals.get(segment);
    if (next === undefined) node.literals.set(segment, (next = newNode()));
    return next;
  }
  if (open === 0 && close === segment.length - 1 && segment.indexOf('{', 1) < 0) return (node.param ??= newNode());
  const { source, weight } = mixedPattern(segment);
  node.mixed ??= [];
  let edge = node.mixed.find((e) => e.pattern.source === source);
  if (edge === undefined) {
    edge = { pattern: new RegExp(source, 's'), weight, node: newNode() };
    node.mixed.push(edge);
    node.mixed.sort((a, b) => b.weight - a.weight);
  }
  return edge.node;
}

/** `{name}.{ext}` → `^(.+?)\.(.+?)$`; names do not matter, so equal shapes share an edge. */
function mixedPattern(segment: string): { source: string; weight: number } {
  let source = '^';
  let weight = 0;
  for (const part of segment.split(/(\{[^{}]*\})/)) {
    if (part.startsWith('{') && part.endsWith('}')) source += '(.+?)';
    else {
      source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      weight += part.length;
    }
  }
  return { source: `${source}$`, weight };
}

function collect(node: TrieNode, segments: readonly string[], i: number, found: SpecRoute[], budget: { visits: number }): void {
  if (found.length >= MAX_CANDIDATES || --budget.visits < 0) return;
  const segment = segments[i];
  if (segment === undefined) {
    if (node.route !== undefined) found.push(node.route);
    return;
  }
  const literal = node.literals?.get(segment);
  if (literal !== undefined) collect(literal, segments, i + 1, found, budget);
  // Lazy groups backtrack quadratically on hostile segments; no real `{name}.json` value is that long.
  if (node.mixed !== undefined && segment.length <= MAX_LITERAL_LENGTH) {
    for (const edge of node.mixed) if (edge.pattern.test(segment)) collect(edge.node, segments, i + 1, found, budget);
  }
  if (node.param !== undefined) collect(node.param, segments, i + 1, found, budget);
}
