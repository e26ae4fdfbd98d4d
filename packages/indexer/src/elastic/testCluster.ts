// For tests: Elastic's own client mock (@elastic/elasticsearch-mock) answering the calls the
// sink and setup make, holding what was indexed by data stream and _id, enforcing the installed
// mappings the way `dynamic: strict` does, and failing on demand (outages, 429s, timeouts).
import { errors } from '@elastic/elasticsearch';
import Mock from '@elastic/elasticsearch-mock';
import { unmappedPaths } from '@sidetap/core';
import type { EsMappings } from '@sidetap/core';
import { ELASTIC_KINDS, dataStreamName } from './elasticNames';
import { mappingsOf } from './elasticTemplates';

export type BulkFault = 'connection' | 'timeout' | 503 | 'all-429';

export interface BulkItemResult {
  status: number;
  error?: { type: string; reason: string };
}

export class TestCluster {
  readonly mock = new Mock();
  /** Indexed documents by data stream, then _id. */
  readonly docs = new Map<string, Map<string, unknown>>();
  readonly bulkCalls: number[] = [];
  readonly installed = new Map<string, unknown>();
  /** Faults the next bulk requests meet, one each, in order. */
  readonly faults: BulkFault[] = [];
  /** Per-document override: return this status for ids matching, `times` times. */
  itemFault: { match: (id: string) => boolean; status: number; times: number } | undefined;
  private readonly mappings = new Map<string, EsMappings>();

  constructor(version = '9.4.0', namespace = 'default') {
    for (const kind of ELASTIC_KINDS) this.mappings.set(dataStreamName(kind, namespace), mappingsOf(kind));
    this.mock.add({ method: 'GET', path: '/' }, () => ({
      name: 'test',
      cluster_name: 'test',
      version: { number: version, build_flavor: 'default' },
      tagline: 'You Know, for Search',
    }));
    for (const path of ['/_ilm/policy/:name', '/_component_template/:name', '/_index_template/:name']) {
      this.mock.add({ method: 'PUT', path }, (params: { path: string; body: unknown }) => {
        this.installed.set(decodeURIComponent(params.path), params.body);
        return { acknowledged: true };
      });
    }
    this.mock.add({ method: 'HEAD', path: '/_index_template/:name' }, (params: { path: string }) =>
      this.installed.has(decodeURIComponent(params.path)) ? '' : new errors.ResponseError({ body: '', statusCode: 404, headers: {}, warnings: null, meta: {} as never }),
    );
    this.mock.add({ method: 'POST', path: '/_bulk' }, (params: { body: Array<Record<string, unknown>> }) => this.bulk(params.body));
  }

  /** The mock's connection class (with the `close` the client calls on shutdown, which the mock lacks). */
  connection(): ReturnType<Mock['getConnection']> {
    const Base = this.mock.getConnection() as unknown as new (...args: never[]) => { close(): Promise<void> };
    class Closable extends Base {
      override async close(): Promise<void> {}
    }
    return Closable as unknown as ReturnType<Mock['getConnection']>;
  }

  count(kind: (typeof ELASTIC_KINDS)[number], namespace = 'default'): number {
    return this.docs.get(dataStreamName(kind, namespace))?.size ?? 0;
  }

  private bulk(lines: Array<Record<string, unknown>>): unknown {
    this.bulkCalls.push(lines.length / 2);
    const fault = this.faults.shift();
    if (fault === 'connection') return new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200');
    if (fault === 'timeout') return new errors.TimeoutError('Request timed out');
    if (fault === 503) return new errors.ResponseError({ body: { error: { type: 'unavailable_shards_exception' }, status: 503 }, statusCode: 503, headers: {}, warnings: null, meta: {} as never });
    const items: unknown[] = [];
    let failed = false;
    for (let i = 0; i < lines.length; i += 2) {
      const action = lines[i]!['create'] as { _index: string; _id: string } | undefined;
      if (action === undefined) throw new Error('the sink sent an action other than create');
      const doc = lines[i + 1];
      const r = fault === 'all-429' ? { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } } : this.index(action._index, action._id, doc);
      if (r.status >= 300) failed = true;
      items.push({ create: { _index: action._index, _id: action._id, status: r.status, ...(r.error ? { error: r.error } : { result: 'created' }) } });
    }
    return { took: 1, errors: failed, items };
  }

  private index(stream: string, id: string, doc: unknown): BulkItemResult {
    const f = this.itemFault;
    if (f !== undefined && f.times > 0 && f.match(id)) {
      f.times--;
      return { status: f.status, error: { type: f.status === 429 ? 'es_rejected_execution_exception' : 'mapper_parsing_exception', reason: `injected ${f.status}` } };
    }
    const mapping = this.mappings.get(stream);
    if (mapping === undefined) return { status: 400, error: { type: 'index_not_found_exception', reason: `no template matches ${stream}` } };
    const unknown = unmappedPaths(doc as Record<string, unknown>, mapping)[0];
    if (unknown !== undefined) {
      return { status: 400, error: { type: 'strict_dynamic_mapping_exception', reason: `mapping set to strict, dynamic introduction of [${unknown}] is not allowed` } };
    }
    let docs = this.docs.get(stream);
    if (docs === undefined) this.docs.set(stream, (docs = new Map()));
    if (docs.has(id)) return { status: 409, error: { type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict, document already exists` } };
    docs.set(id, doc);
    return { status: 201 };
  }
}
