// Loads an OpenAPI 3.0 or 3.1 document (JSON or YAML, $refs across files) into OpenApiRoutes,
// or throws one sentence naming the file and what is wrong with it.
import { OPENAPI_METHODS } from './openApiRoutes';
import type { OpenApiOperation, OpenApiParameter, OpenApiRoute, OpenApiRoutes } from './openApiRoutes';
import { isRecord, RefResolver } from './refResolver';
import { serverPrefixes } from './serverPrefixes';
import { SpecFiles } from './specFiles';
import type { SpecFile } from './specFiles';

export function loadOpenApiSpec(file: string): OpenApiRoutes {
  const files = new SpecFiles(file);
  const refs = new RefResolver(files);
  const root = files.root;
  const doc = root.doc;
  if (!isRecord(doc)) throw new Error(`${file}: not an OpenAPI 3.x document (${doc == null ? 'empty' : 'not a mapping at the top level'}).`);
  const openapi = doc['openapi'];
  if (openapi === undefined) {
    if (doc['swagger'] !== undefined) throw new Error(`${file}: a Swagger ${String(doc['swagger'])} document, not OpenAPI 3.x.`);
    throw new Error(`${file}: not an OpenAPI 3.x document (no "openapi" field).`);
  }
  if (typeof openapi !== 'string' || !/^3\.\d+(\.\d+)?(-[0-9A-Za-z.-]+)?$/.test(openapi)) {
    throw new Error(`${file}: not an OpenAPI 3.x document ("openapi" is ${JSON.stringify(openapi)}).`);
  }
  const paths = doc['paths'];
  if (paths === undefined) {
    // 3.1 made paths optional (a document may hold only webhooks or components); 3.0 requires it.
    if (openapi.startsWith('3.0')) throw new Error(`${file}: OpenAPI ${openapi} document has no "paths" object.`);
    return { file, openapi, routes: [] };
  }
  if (!isRecord(paths)) throw new Error(`${file}: "paths" is not a mapping.`);

  const rootPrefixes = serverPrefixes(doc['servers'], file, '');
  const routes: OpenApiRoute[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    if (path.startsWith('x-')) continue;
    const at = `paths.${path}`;
    if (!path.startsWith('/')) throw new Error(`${file}: path "${path}" at paths does not start with "/".`);
    const item = pathItem(refs, rawItem, root, at, file);
    const pathParameters = parameters(refs, item.node['parameters'], item.file, `${at}.parameters`, file);
    const prefixes = new Set(item.node['servers'] === undefined ? rootPrefixes : serverPrefixes(item.node['servers'], file, at));
    const operations: OpenApiOperation[] = [];
    for (const method of OPENAPI_METHODS) {
      const op = item.node[method.toLowerCase()];
      if (op === undefined) continue;
      const opAt = `${at}.${method.toLowerCase()}`;
      if (!isRecord(op)) throw new Error(`${file}: operation at ${opAt} is not a mapping.`);
      refs.checkRefs(op, item.file, opAt);
      // Operation servers add prefixes the path is reachable under; the trie is per path, not per method.
      if (op['servers'] !== undefined) for (const p of serverPrefixes(op['servers'], file, opAt)) prefixes.add(p);
      const operation: OpenApiOperation = {
        method,
        deprecated: op['deprecated'] === true,
        parameters: mergeParameters(pathParameters, parameters(refs, op['parameters'], item.file, `${opAt}.parameters`, file)),
      };
      if (typeof op['operationId'] === 'string') operation.operationId = op['operationId'];
      operations.push(operation);
    }
    const prefixList = [...prefixes];
    routes.push({ path, prefixes: prefixList, templates: prefixList.map((p) => joinTemplate(p, path)), operations });
  }
  return { file, openapi, routes };
}

/** A Path Item, through its $ref; fields written beside the $ref override the target's. */
function pathItem(refs: RefResolver, raw: unknown, root: SpecFile, at: string, shown: string): { node: Record<string, unknown>; file: SpecFile } {
  const target = refs.deref(raw, root, at);
  if (!isRecord(target.node)) throw new Error(`${shown}: ${at} is not a Path Item mapping.`);
  if (target.node === raw || !isRecord(raw)) return { node: target.node, file: target.file };
  const { $ref: _ref, ...own } = raw;
  return { node: { ...target.node, ...own }, file: target.file };
}

function parameters(refs: RefResolver, raw: unknown, file: SpecFile, at: string, shown: string): OpenApiParameter[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new Error(`${shown}: "parameters" at ${at} is not a list.`);
  return (raw as unknown[]).map((entry, i) => {
    const where = `${at}[${i}]`;
    const { node } = refs.deref(entry, file, where);
    if (!isRecord(node) || typeof node['name'] !== 'string' || typeof node['in'] !== 'string') {
      throw new Error(`${shown}: parameter at ${where} has no "name" and "in".`);
    }
    return { name: node['name'], in: node['in'], required: node['required'] === true };
  });
}

/** The operation's parameters override the path item's with the same name and location. */
function mergeParameters(pathLevel: OpenApiParameter[], opLevel: OpenApiParameter[]): OpenApiParameter[] {
  const key = (p: OpenApiParameter): string => `${p.in}\u0000${p.name}`;
  const own = new Set(opLevel.map(key));
  return [...pathLevel.filter((p) => !own.has(key(p))), ...opLevel];
}

/** Server prefix + spec path, the full path a request carries. */
export function joinTemplate(prefix: string, path: string): string {
  if (path === '/') return prefix === '' ? '/' : prefix;
  return prefix + path;
}
