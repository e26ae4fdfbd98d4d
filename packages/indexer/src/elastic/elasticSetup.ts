// `sidetap es setup`: checks the cluster is a version sidetap speaks to, then installs (or
// overwrites, so running it again after an upgrade is how templates are updated) the ILM
// policies, component templates and index templates.
import type { Client } from '@elastic/elasticsearch';
import type { ElasticConfig } from './elasticConfig';
import { elasticTemplates } from './elasticTemplates';

export const SUPPORTED_MAJORS = [8, 9] as const;

export interface SetupStep {
  kind: 'ilm policy' | 'component template' | 'index template';
  name: string;
}

export interface ElasticSetupResult {
  version: string;
  steps: SetupStep[];
}

/** Thrown when the cluster answers but is not one sidetap can set up; the message is one sentence for the user. */
export class ElasticSetupError extends Error {}

export async function setupElastic(client: Client, config: ElasticConfig): Promise<ElasticSetupResult> {
  const info = await client.info();
  const version = info.version.number;
  const major = Number(version.split('.')[0]);
  if (!(SUPPORTED_MAJORS as readonly number[]).includes(major)) {
    throw new ElasticSetupError(`${config.node} runs Elasticsearch ${version}; sidetap supports ${SUPPORTED_MAJORS.join('.x and ')}.x`);
  }
  const templates = elasticTemplates(config);
  const steps: SetupStep[] = [];
  // Policies before the templates that name them, components before the templates composed of them.
  for (const p of templates.policies) {
    await client.ilm.putLifecycle({ name: p.name, policy: p.policy });
    steps.push({ kind: 'ilm policy', name: p.name });
  }
  for (const c of templates.components) {
    await client.cluster.putComponentTemplate({ name: c.name, version: c.version, _meta: c._meta, template: c.template });
    steps.push({ kind: 'component template', name: c.name });
  }
  for (const t of templates.indexTemplates) {
    await client.indices.putIndexTemplate({
      name: t.name,
      index_patterns: t.index_patterns,
      data_stream: t.data_stream,
      priority: t.priority,
      composed_of: t.composed_of,
      version: t.version,
      _meta: t._meta,
      template: t.template,
    });
    steps.push({ kind: 'index template', name: t.name });
  }
  return { version, steps };
}
