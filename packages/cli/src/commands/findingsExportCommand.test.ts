import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Counters, createLogger } from '@sidetap/core';
import type { Finding } from '@sidetap/core';
import { createElasticSink, elasticConfigSchema, LocalStore } from '@sidetap/indexer';
import { TestCluster } from '../../../indexer/src/elastic/testCluster';
import { main } from '../main';
import { exportFindings } from './findingsExportCommand';

function finding(i: number, category: Finding['rule']['category'], severity: 1 | 2 | 3 | 4): Finding {
  return {
    '@timestamp': new Date(Date.UTC(2024, 4, 1, 12, i)).toISOString(),
    event: { kind: 'alert', id: `export-${i}`, severity, risk_score: severity * 20, dataset: 'sidetap.finding' },
    rule: { id: `${category}.test`, name: `${category} test`, category },
    message: `finding ${i}`,
    sidetap: {
      detector: 'test',
      actor_key: `key:${i % 3}`,
      evidence: { exchange_ids: [`ex-${i}`], excerpts: [], window: { start: '2024-05-01T12:00:00.000Z', end: '2024-05-01T12:00:01.000Z' } },
      capture_quality: { complete: true, flags: [] },
    },
  } as Finding;
}

async function storeWith(findings: Finding[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sidetap-export-'));
  const store = new LocalStore(dir);
  await store.append('alert', findings);
  await store.close();
  return dir;
}

async function run(argv: string[]): Promise<{ code: number; err: string }> {
  const out = new PassThrough();
  out.resume();
  let err = '';
  const code = await main(argv, { stdout: out as never, stderr: { isTTY: false, write: (s: string) => ((err += s), true) } as never });
  return { code, err };
}

describe('sidetap findings export', () => {
  const all = Array.from({ length: 2500 }, (_, i) => finding(i, i % 2 === 0 ? 'sqli' : 'enumeration', ((i % 4) + 1) as 1 | 2 | 3 | 4));

  it('sends the stored findings that pass the filter through the bulk path, once each', async () => {
    const dir = await storeWith(all);
    const cluster = new TestCluster();
    const counters = new Counters();
    const sink = createElasticSink(elasticConfigSchema.parse({}), { storeDir: dir, counters, logger: createLogger({ level: 'silent' }), connection: cluster.connection() });
    const sent = await exportFindings(dir, { categories: ['sqli'], minSeverity: 3 }, sink);
    const expected = all.filter((f) => f.rule.category === 'sqli' && f.event.severity >= 3).map((f) => f.event.id).sort();
    expect(sent).toBe(expected.length);
    expect([...cluster.docs.get('logs-sidetap.findings-default')!.keys()].sort()).toEqual(expected);
    // Everything now, overlapping what is there: the overlap meets 409s.
    await exportFindings(dir, {}, sink);
    expect(cluster.count('alert')).toBe(all.length);
    expect(counters.get('indexer_es_duplicates_total')).toBe(expected.length);
    expect(cluster.bulkCalls.length).toBeGreaterThan(2);
    await sink.close();
  });

  it.each([
    [['findings', 'export'], 'sidetap findings export: name the cluster with --es URL.'],
    [['findings', 'export', '--es', 'ftp://x'], '--es: expected an http or https URL'],
    [['findings', 'export', '--es', 'http://127.0.0.1:1', '--severity', 'urgent'], '--severity: expected 1-4 or low, medium, high, critical'],
  ])('%j is a usage error', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('says in one sentence that the cluster did not answer, within the configured wait', async () => {
    const dir = await storeWith(all.slice(0, 3));
    const config = join(dir, 'sidetap.yaml');
    writeFileSync(config, 'indexer:\n  elasticsearch:\n    startupTimeoutMs: 0\n');
    const r = await run(['findings', 'export', '--es', 'http://127.0.0.1:1', '--store', dir, '--config', config]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^sidetap findings export: Elasticsearch at http:\/\/127\.0\.0\.1:1 did not answer \(.*\) within 0 s\.\n$/);
  });
});
