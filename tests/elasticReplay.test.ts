// `sidetap replay --es URL`: the embedded pipeline's findings, session summaries and events reach
// Elasticsearch through the bulk path, once each, across a replay repeated and an outage. The
// cluster is Elastic's own client mock (no Elasticsearch can run here); everything above the
// HTTP layer is the production code.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@sidetap/core';
import type { Finding } from '@sidetap/core';
import { createElasticClient, setupElastic } from '@sidetap/indexer';
import { TestCluster } from '../packages/indexer/src/elastic/testCluster';
import { withElastic } from '../packages/cli/src/elasticOption';
import { withModelStore } from '../packages/cli/src/models/openModelStore';
import { runEmbeddedPipeline } from '../packages/cli/src/runner/embeddedPipeline';
import { loadSidetapConfig } from '../packages/cli/src/sidetapConfig';

const DEMO = join(__dirname, '..', 'fixtures', 'pcaps', 'demo.pcap');
const NODE = 'http://127.0.0.1:9200';

beforeAll(() => {
  process.env.SIDETAP_REDACTION_KEY = 'elastic-replay-test-key-0123456789';
});

async function installed(): Promise<TestCluster> {
  const cluster = new TestCluster();
  const config = loadSidetapConfig(undefined, {}).indexer.elasticsearch;
  await setupElastic(createElasticClient(config, cluster.connection()), config);
  return cluster;
}

async function replay(cluster: TestCluster, storeDir = mkdtempSync(join(tmpdir(), 'sidetap-es-replay-'))) {
  const config = withElastic(loadSidetapConfig(undefined, {}), NODE);
  config.indexer.elasticsearch.retryInitialMs = 5;
  config.indexer.elasticsearch.retryMaxMs = 20;
  const findings: Finding[] = [];
  const result = await withModelStore(config, storeDir, (models) =>
    runEmbeddedPipeline([DEMO], {
      config,
      storeDir,
      models,
      logger: createLogger({ level: 'silent' }),
      stderr: { write: () => true },
      onFinding: (f) => findings.push(f),
      stageDeps: { elasticConnection: cluster.connection() },
    }),
  );
  return { findings, counters: result.counters, storeDir };
}

describe('replay --es', () => {
  it('writes every finding, session summary and event into its data stream, matching the mapping', async () => {
    const cluster = await installed();
    const { findings, counters } = await replay(cluster);
    expect(findings.length).toBeGreaterThan(0);
    const stored = cluster.docs.get('logs-sidetap.findings-default')!;
    expect([...stored.keys()].sort()).toEqual(findings.map((f) => f.event.id).sort());
    expect(cluster.count('session')).toBe(counters['indexer_sessions_written_total']);
    expect(cluster.count('event')).toBe(counters['indexer_events_written_total']);
    expect(cluster.count('event')).toBeGreaterThan(0);
    // The test cluster refuses unmapped fields as `dynamic: strict` does; nothing was refused.
    expect(counters['indexer_es_dead_lettered_total'] ?? 0).toBe(0);
  });

  it('a second replay of the same capture adds no duplicates', async () => {
    const cluster = await installed();
    const first = await replay(cluster);
    const docs = cluster.count('alert') + cluster.count('session') + cluster.count('event');
    const second = await replay(cluster);
    expect(cluster.count('alert') + cluster.count('session') + cluster.count('event')).toBe(docs);
    expect(second.counters['indexer_es_duplicates_total']).toBe(docs);
    expect(second.counters['indexer_es_documents_written_total'] ?? 0).toBe(0);
    expect(second.findings.map((f) => f.event.id).sort()).toEqual(first.findings.map((f) => f.event.id).sort());
  });

  it('rides out an outage mid-replay: everything lands once, nothing is dead-lettered', async () => {
    const cluster = await installed();
    cluster.faults.push('connection', 503, 'timeout', 'all-429', 503);
    const { findings, counters } = await replay(cluster);
    expect(counters['indexer_es_retries_total']).toBeGreaterThan(0);
    expect(cluster.count('alert')).toBe(findings.length);
    expect(cluster.count('event')).toBe(counters['indexer_events_written_total']);
    expect(counters['indexer_es_dead_lettered_total'] ?? 0).toBe(0);
  });

  it('refuses to start against a cluster without sidetap\'s templates, naming the fix', async () => {
    const cluster = new TestCluster();
    await expect(replay(cluster)).rejects.toThrow(`sidetap indexer: ${NODE} has no index template sidetap.findings; run \`sidetap es setup --node ${NODE}\` first.`);
  });
});
