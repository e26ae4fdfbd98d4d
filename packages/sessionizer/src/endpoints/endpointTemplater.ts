// Endpoint templates of requests: the spec's own path when an OpenAPI spec describes the request,
// else the template learned from traffic; raw paths seen recently are answered from a cache.
import type { Counters } from '@sidetap/core';
import { ClockMap } from './clockMap';
import type { EndpointConfig } from './endpointConfig';
import type { EndpointMatch, EndpointTemplater } from './endpointMatch';
import { LearnedTemplater } from './learnedTemplater';
import { loadOpenApiSpec } from './loadOpenApiSpec';
import { RecentPaths } from './recentPaths';
import { splitRequestPath } from './requestPath';
import { SpecTrie } from './specTrie';
import type { SpecRoute } from './specTrie';

interface CachedPath {
  /** Spec routes the path matched, best first; undefined when it fell back to learning. */
  routes: SpecRoute[] | undefined;
  learned: EndpointMatch | undefined;
  /** The learned templater's generation the learned answer was worked out at. */
  generation: number;
  truncated: boolean;
}

/** Longer raw paths are templated every time: caching them would let hostile paths pin memory. */
const MAX_CACHED_PATH_LENGTH = 512;

// `OPTIONS *` targets the server, not a path.
const ASTERISK: EndpointMatch = Object.freeze({ template: '*', source: 'learned', inSpec: false });

export function createEndpointTemplater(config: EndpointConfig, deps: { counters: Counters }): EndpointTemplater {
  const { counters } = deps;
  const spec = config.specFile === undefined ? undefined : new SpecTrie(loadOpenApiSpec(config.specFile));
  const learned = new LearnedTemplater(config, counters);
  const cache = new ClockMap<CachedPath>();
  const recent = new RecentPaths(config.cacheSize * 4);
  const remember = (path: string, entry: CachedPath): void => {
    if (config.cacheSize === 0 || !(cache.has(path) || recent.seenBefore(path))) return;
    if (!cache.has(path) && cache.size >= config.cacheSize && cache.evictOne() !== undefined) {
      counters.inc('sessionizer_endpoint_cache_evicted_total');
    }
    cache.set(path, entry);
  };

  const compute = (path: string): CachedPath => {
    const { segments, truncated } = splitRequestPath(path, config.maxSegments);
    // A truncated path is deeper than any route worth matching; its tail is unknown anyway.
    if (spec !== undefined && !truncated) {
      const routes = spec.match(segments);
      if (routes.length > 0) return { routes, learned: undefined, generation: 0, truncated };
    }
    const template = learned.template(segments, truncated);
    const match: EndpointMatch = Object.freeze({ template, source: 'learned', inSpec: false });
    return { routes: undefined, learned: match, generation: learned.generation, truncated };
  };

  return {
    // The Host is not consulted: a mirror sees internal names (svc.cluster.local) where the spec
    // declares public ones, and keying state by a client-chosen header would let one client
    // multiply it.
    match(method, path) {
      if (path === '*') return ASTERISK;
      const cacheable = path.length <= MAX_CACHED_PATH_LENGTH;
      let entry = cacheable ? cache.get(path) : undefined;
      if (entry === undefined || (entry.routes === undefined && entry.generation !== learned.generation)) {
        entry = compute(path);
        if (cacheable) remember(path, entry);
      }
      if (entry.truncated) counters.inc('sessionizer_endpoint_segments_truncated_total');
      if (entry.routes !== undefined) return pickRoute(entry.routes, method);
      return entry.learned ?? ASTERISK;
    },
    exportState: () => learned.exportState(),
    importState: (state) => learned.importState(state),
  };
}

/**
 * The best-ranked path that declares the method; failing that the best-ranked path, flagged.
 * `DELETE /pets/mine` with only GET on `/pets/mine` goes to `/pets/{id}` when that declares
 * DELETE, as the router behind it would, instead of raising an undeclared-method flag.
 */
function pickRoute(routes: SpecRoute[], method: string): EndpointMatch {
  for (const route of routes) {
    const declared = route.declared.get(method);
    if (declared !== undefined) return declared;
  }
  // compute() keeps a route list only when it is not empty.
  return (routes[0] as SpecRoute).undeclared;
}
