// Resolves OpenAPI $refs: local JSON pointers (`#/components/...`), other files relative to the
// file holding the ref (`common.yaml#/Pet`, `pet.yaml`), with chains followed and cycles caught.
import type { SpecFile, SpecFiles } from './specFiles';

export interface Resolved {
  node: unknown;
  file: SpecFile;
}

interface Target extends Resolved {
  /** file#pointer, the identity of a ref target for cycle checks. */
  key: string;
}

// Values that are data, not document structure: a `$ref` key inside an example is an example.
const DATA_KEYS = new Set(['example', 'default', 'enum', 'const']);
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** Longest $ref chain followed before it is called a cycle in all but name. */
const MAX_HOPS = 64;

export class RefResolver {
  // Each object is checked once per document, however many operations share it; this also
  // ends walks of recursive schemas and of cyclic YAML aliases.
  private readonly walked = new WeakSet<object>();

  constructor(private readonly files: SpecFiles) {}

  /** The node, or the value its $ref chain ends at; throws when the chain breaks or loops. */
  deref(node: unknown, file: SpecFile, at: string): Resolved {
    let current: Resolved = { node, file };
    const seen = new Set<string>();
    for (let hops = 0; ; hops++) {
      const ref = refOf(current.node);
      if (ref === undefined) return current;
      const target = this.target(ref, current.file, at, true);
      if (target === undefined || seen.has(target.key) || hops >= MAX_HOPS) {
        throw new Error(`${this.files.rootShown}: $ref "${ref}"${this.where(current.file)} at ${at} is part of a $ref cycle that never reaches a value.`);
      }
      seen.add(target.key);
      current = target;
    }
  }

  /** Throws on the first $ref under `node` (followed into other files) that does not resolve. */
  checkRefs(node: unknown, file: SpecFile, at: string): void {
    const stack: Array<{ node: unknown; file: SpecFile; inExamples: boolean }> = [{ node, file, inExamples: false }];
    for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
      const current = item.node;
      if (typeof current !== 'object' || current === null || this.walked.has(current)) continue;
      this.walked.add(current);
      if (Array.isArray(current)) {
        for (const child of current as unknown[]) stack.push({ node: child, file: item.file, inExamples: false });
        continue;
      }
      const ref = refOf(current);
      if (ref !== undefined) {
        const target = this.target(ref, item.file, at, false);
        if (target !== undefined) stack.push({ node: target.node, file: target.file, inExamples: item.inExamples });
      }
      for (const [key, value] of Object.entries(current)) {
        if (key === '$ref' || DATA_KEYS.has(key) || key.startsWith('x-') || (item.inExamples && key === 'value')) continue;
        if (key === 'examples') {
          // A map of Example Objects (their `value` is data); a JSON Schema `examples` array is all data.
          if (!Array.isArray(value) && isRecord(value)) {
            for (const example of Object.values(value)) stack.push({ node: example, file: item.file, inExamples: true });
          }
          continue;
        }
        stack.push({ node: value, file: item.file, inExamples: false });
      }
    }
  }

  /**
   * What `ref` points at. Remote (URL) refs and JSON Schema anchors cannot be followed offline:
   * an error where the value is needed, skipped by `checkRefs` where it is only checked.
   */
  private target(ref: string, from: SpecFile, at: string, needed: boolean): Target | undefined {
    const hash = ref.indexOf('#');
    const filePart = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);
    if (URL_SCHEME.test(filePart) || (fragment !== '' && !fragment.startsWith('/') && !fragment.startsWith('%2F'))) {
      if (!needed) return undefined;
      throw new Error(`${this.files.rootShown}: $ref "${ref}"${this.where(from)} at ${at} is not a local file or JSON pointer, which sidetap cannot follow.`);
    }
    const file = filePart === '' ? from : this.files.open(decode(filePart), from, ref, at);
    const pointer = decode(fragment);
    const node = followPointer(file.doc, pointer);
    if (node === NOT_FOUND) {
      throw new Error(`${this.files.rootShown}: $ref "${ref}"${this.where(from)} at ${at} does not resolve.`);
    }
    return { node, file, key: `${file.abs}#${pointer}` };
  }

  private where(file: SpecFile): string {
    return file === this.files.root ? '' : ` in ${file.shown}`;
  }
}

const NOT_FOUND = Symbol('not found');

/** RFC 6901: `/a~1b/0` walks key `a/b`, then index 0; only own keys, never the prototype. */
function followPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return NOT_FOUND;
  let node = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : -1;
      if (index < 0 || index >= node.length) return NOT_FOUND;
      node = (node as unknown[])[index];
    } else if (isRecord(node) && Object.prototype.hasOwnProperty.call(node, token)) {
      node = node[token];
    } else {
      return NOT_FOUND;
    }
  }
  return node;
}

/** Refs are URI references, so `%7B` in a pointer is `{`; a malformed escape is kept as written. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function refOf(node: unknown): string | undefined {
  if (!isRecord(node)) return undefined;
  const ref = node['$ref'];
  return typeof ref === 'string' ? ref : undefined;
}

export function isRecord(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}
