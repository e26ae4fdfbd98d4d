import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counters, createLogger } from '@sidetap/core';
import { elasticConfigSchema } from './elasticConfig';
import { createElasticSink } from './elasticSink';
import { ElasticUnavailableError } from './bulkWriter';
import { TestCluster } from './testCluster';

const logger = createLogger({ level: 'silent' });

function finding(i: number): { event: { id: string; kind: 'alert'; dataset: string; severity: number; risk_score: number }; '@timestamp': string; message: string } {
  return {
    '@timestamp': new Date(Date.UTC(2024, 4, 1, 12, 0, i)).toISOString(),
    event: { id: `f${String(i).padStart(4, '0')}`, kind: 'alert', dataset: 'sidetap.finding', severity: 2, risk_score: 40 },
    message: `finding ${i}`,
  };
}

function setup(overrides: Record<string, unknown> = {}) {
  const cluster = new TestCluster();
  const storeDir = mkdtempSync(join(tmpdir(), 'sidetap-es-'));
  const counters = new Counters();
  const config = elasticConfigSchema.parse({ retryInitialMs: 5, retryMaxMs: 20, flushBytes: 64 * 1024, ...overrides });
  const sink = createElasticSink(config, { storeDir, counters, logger, connection: cluster.connection() });
  return { cluster, storeDir, counters, sink };
}

const batch = (n: number, from = 0) => Array.from({ length: n }, (_, i) => finding(from + i));

describe('Elasticsearch sink', () => {
  it('creates each document in its data stream under its own id', async () => {
    const { cluster, sink } = setup();
    const r = await sink.write('alert', batch(50));
    expect(r).toEqual({ written: 50, duplicates: 0, deadLettered: 0 });
    const stored = cluster.docs.get('logs-sidetap.findings-default')!;
    expect([...stored.keys()].sort()).toEqual(batch(50).map((f) => f.event.id));
    expect(stored.get('f0007')).toEqual(finding(7));
    await sink.close();
  });

  it('splits a batch into bulk requests bounded by flushBytes', async () => {
    const { cluster, sink } = setup({ flushBytes: 64 * 1024 });
    const big = batch(400).map((f) => ({ ...f, message: 'x'.repeat(1000) }));
    await sink.write('alert', big);
    expect(cluster.bulkCalls.length).toBeGreaterThan(4);
    expect(cluster.bulkCalls.reduce((a, b) => a + b, 0)).toBe(400);
    expect(cluster.count('alert')).toBe(400);
  });

  it('never duplicates: writing the same findings again meets 409s and leaves one copy', async () => {
    const { cluster, sink, counters } = setup();
    await sink.write('alert', batch(30));
    const again = await sink.write('alert', batch(40));
    expect(again).toEqual({ written: 10, duplicates: 30, deadLettered: 0 });
    expect(cluster.count('alert')).toBe(40);
    expect(counters.get('indexer_es_duplicates_total')).toBe(30);
  });

  it.each([['connection' as const], ['timeout' as const], [503 as const], ['all-429' as const]])(
    'waits out an outage (%s) and then writes everything exactly once',
    async (fault) => {
      const { cluster, sink, counters } = setup();
      cluster.faults.push(fault, fault, fault);
      const r = await sink.write('alert', batch(25));
      expect(r.written + r.duplicates).toBe(25);
      expect(cluster.count('alert')).toBe(25);
      expect(counters.get('indexer_es_retries_total')).toBeGreaterThanOrEqual(25);
    },
  );

  it('does not return while Elasticsearch is down, so the runner cannot commit the batch', async () => {
    const { cluster, sink } = setup({ retryInitialMs: 20, retryMaxMs: 20 });
    for (let i = 0; i < 1000; i++) cluster.faults.push('connection');
    let settled = false;
    const write = sink.write('alert', batch(5)).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false);
    expect(cluster.count('alert')).toBe(0);
    cluster.faults.length = 0;
    await write;
    expect(cluster.count('alert')).toBe(5);
  });

  it('retries only the documents a partial failure refused, and dead-letters the ones refused for good', async () => {
    const { cluster, sink, storeDir, counters } = setup();
    cluster.itemFault = { match: (id) => id.endsWith('3'), status: 429, times: 2 };
    const first = await sink.write('alert', batch(20));
    expect(first).toEqual({ written: 20, duplicates: 0, deadLettered: 0 });
    cluster.itemFault = { match: (id) => id === 'f0021', status: 400, times: 1 };
    const bad = { ...finding(22), unexpected_field: 'x' };
    const second = await sink.write('alert', [finding(21), bad, finding(23)]);
    expect(second).toEqual({ written: 1, duplicates: 0, deadLettered: 2 });
    expect(counters.get('indexer_es_dead_lettered_total')).toBe(2);
    const letters = readFileSync(join(storeDir, 'dead-letter', 'elasticsearch.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(letters.map((l) => [l.id, l.status, l.error.type])).toEqual([
      ['f0021', 400, 'mapper_parsing_exception'],
      ['f0022', 400, 'strict_dynamic_mapping_exception'],
    ]);
    expect(letters[1].document).toEqual(bad);
    expect(letters[1].error.reason).toContain('unexpected_field');
  });

  it('gives up waiting when interrupted, with an error, and writes no dead letters', async () => {
    const { cluster, sink, storeDir } = setup({ retryInitialMs: 10, retryMaxMs: 10 });
    for (let i = 0; i < 1000; i++) cluster.faults.push(503);
    const write = sink.write('alert', batch(3));
    setTimeout(() => sink.interrupt(), 50);
    await expect(write).rejects.toBeInstanceOf(ElasticUnavailableError);
    await expect(sink.write('alert', batch(1))).rejects.toThrow(/3|1 documents/);
    expect(existsSync(join(storeDir, 'dead-letter'))).toBe(false);
  });

  it('asks for the 8.x REST API so one client serves 8.x and 9.x clusters', async () => {
    const { cluster, sink } = setup();
    const seen: string[] = [];
    const original = cluster.connection();
    // The mock's connection sees the headers the transport sends.
    class Spy extends (original as unknown as new (...a: never[]) => { request(p: never, o: never): Promise<unknown> }) {
      override request(params: { headers: Record<string, string> }, options: unknown) {
        seen.push(params.headers['content-type'] ?? '', params.headers['accept'] ?? '');
        return super.request(params as never, options as never);
      }
    }
    const spySink = createElasticSink(elasticConfigSchema.parse({}), { storeDir: tmpdir(), counters: new Counters(), logger, connection: Spy as never });
    await spySink.write('alert', batch(1));
    expect(seen).toContain('application/vnd.elasticsearch+x-ndjson; compatible-with=8');
    expect(seen).toContain('application/vnd.elasticsearch+json; compatible-with=8');
    await sink.close();
  });
});
