import { ELASTIC_MAPPINGS } from '@sidetap/core';
import { createElasticClient } from './elasticClient';
import { elasticConfigSchema } from './elasticConfig';
import { dataStreamName, ELASTIC_KINDS } from './elasticNames';
import { ElasticSetupError, setupElastic } from './elasticSetup';
import { TestCluster } from './testCluster';

function globMatches(pattern: string, name: string): boolean {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(name);
}

describe('sidetap es setup', () => {
  it.each([['8.15.3'], ['9.4.0']])('installs ILM policies, then component templates, then index templates on %s', async (version) => {
    const cluster = new TestCluster(version);
    const config = elasticConfigSchema.parse({ retention: { events: '7d' } });
    const client = createElasticClient(config, cluster.connection());
    const result = await setupElastic(client, config);
    expect(result.version).toBe(version);
    const order = result.steps.map((s) => s.kind);
    expect(order.lastIndexOf('ilm policy')).toBeLessThan(order.indexOf('component template'));
    expect(order.lastIndexOf('component template')).toBeLessThan(order.indexOf('index template'));
    expect([...cluster.installed.keys()]).toEqual(
      expect.arrayContaining(['/_ilm/policy/sidetap.findings', '/_component_template/sidetap@settings', '/_index_template/sidetap.events']),
    );
    const events = cluster.installed.get('/_ilm/policy/sidetap.events') as { policy: { phases: { delete: { min_age: string } } } };
    expect(events.policy.phases.delete.min_age).toBe('7d');
  });

  it('maps each data stream with the mapping generated from its zod schema', async () => {
    const cluster = new TestCluster();
    const config = elasticConfigSchema.parse({});
    await setupElastic(createElasticClient(config, cluster.connection()), config);
    const findings = cluster.installed.get('/_component_template/sidetap.findings@mappings') as { template: { mappings: unknown } };
    expect(findings.template.mappings).toEqual(JSON.parse(JSON.stringify(ELASTIC_MAPPINGS.finding)));
    const sessions = cluster.installed.get('/_component_template/sidetap.sessions@mappings') as { template: { mappings: unknown } };
    expect(sessions.template.mappings).toEqual(JSON.parse(JSON.stringify(ELASTIC_MAPPINGS.session)));
  });

  it('makes every kind a data stream whose template wins over the built-in logs template', async () => {
    const cluster = new TestCluster();
    const config = elasticConfigSchema.parse({ namespace: 'prod_eu' });
    await setupElastic(createElasticClient(config, cluster.connection()), config);
    for (const kind of ELASTIC_KINDS) {
      const stream = dataStreamName(kind, 'prod_eu');
      const matching = [...cluster.installed.entries()].filter(
        ([path, body]) => path.startsWith('/_index_template/') && (body as { index_patterns: string[] }).index_patterns.some((p) => globMatches(p, stream)),
      );
      expect(matching).toHaveLength(1);
      const template = matching[0]![1] as { data_stream: object; priority: number; composed_of: string[]; template: { settings: Record<string, string> } };
      expect(template.data_stream).toEqual({});
      expect(template.priority).toBeGreaterThan(100);
      for (const component of template.composed_of) expect(cluster.installed.has(`/_component_template/${component}`)).toBe(true);
      expect(cluster.installed.has(`/_ilm/policy/${template.template.settings['index.lifecycle.name']}`)).toBe(true);
    }
  });

  it('refuses a cluster of a major version it does not speak, naming the node and version', async () => {
    const cluster = new TestCluster('7.17.9');
    const config = elasticConfigSchema.parse({ node: 'http://127.0.0.1:9200' });
    const setup = setupElastic(createElasticClient(config, cluster.connection()), config);
    await expect(setup).rejects.toBeInstanceOf(ElasticSetupError);
    await expect(setup).rejects.toThrow('http://127.0.0.1:9200 runs Elasticsearch 7.17.9; sidetap supports 8.x and 9.x');
    expect(cluster.installed.size).toBe(0);
  });
});
