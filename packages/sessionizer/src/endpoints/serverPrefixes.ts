// The path prefixes a `servers` list puts in front of every spec path: `https://api.example.com/v2`
// serves `/pets` at `/v2/pets`. Hosts are dropped: a mirror sees whatever Host the client sent.
import { isRecord } from './refResolver';
import { splitRequestPath } from './requestPath';

/** Expansions of server-variable enums kept per server; enough for real specs, bounded for odd ones. */
const MAX_EXPANSIONS = 16;

/** Distinct path prefixes (`''` for the root, else `/v2`) of the Server Object list of `owner` (`''`: the document). */
export function serverPrefixes(servers: unknown, shown: string, owner: string): string[] {
  const at = owner === '' ? 'servers' : `${owner}.servers`;
  if (servers === undefined) return [''];
  if (!Array.isArray(servers)) throw new Error(`${shown}: ${at} is not a list.`);
  // An empty list means the default server `/`, as an absent one does.
  if (servers.length === 0) return [''];
  const prefixes = new Set<string>();
  servers.forEach((server: unknown, i) => {
    const where = `${at}[${i}]`;
    if (!isRecord(server) || typeof server['url'] !== 'string') throw new Error(`${shown}: server at ${where} has no "url".`);
    for (const url of expandVariables(server['url'], server['variables'], shown, where)) prefixes.add(pathPrefix(url));
  });
  return [...prefixes];
}

/** Every substitution of `{var}` by its default and enum values, capped. */
function expandVariables(url: string, variables: unknown, shown: string, at: string): string[] {
  let urls = [url];
  for (const match of url.matchAll(/\{([^{}]+)\}/g)) {
    const name = match[1] ?? '';
    const variable = isRecord(variables) ? variables[name] : undefined;
    if (!isRecord(variable) || typeof variable['default'] !== 'string') {
      throw new Error(`${shown}: server variable "${name}" at ${at} has no default.`);
    }
    const values = new Set<string>([variable['default']]);
    if (Array.isArray(variable['enum'])) for (const v of variable['enum'] as unknown[]) if (typeof v === 'string') values.add(v);
    const next: string[] = [];
    for (const partial of urls) {
      for (const value of values) if (next.length < MAX_EXPANSIONS) next.push(partial.split(`{${name}}`).join(value));
    }
    urls = next;
  }
  return urls;
}

/** `https://h/v2/` → `/v2`; relative `v2` or `./v2` → `/v2`; a bare host → `''`. */
function pathPrefix(url: string): string {
  let path = url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (scheme !== null || url.startsWith('//')) {
    const afterAuthority = url.indexOf('/', scheme === null ? 2 : scheme[0].length);
    path = afterAuthority < 0 ? '' : url.slice(afterAuthority);
  }
  const segments = splitRequestPath(path, Number.MAX_SAFE_INTEGER).segments.filter((s) => s !== '.');
  return segments.length === 0 ? '' : `/${segments.join('/')}`;
}
