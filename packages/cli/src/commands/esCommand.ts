// `sidetap es setup`: installs sidetap's ILM policies and index templates in Elasticsearch and,
// with --kibana, imports the saved objects under deploy/kibana (data views and dashboards).
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createElasticClient, ElasticSetupError, importKibanaObjects, KibanaImportError, setupElastic } from '@sidetap/indexer';
import { parseCommandArgs, stringOption } from '../args';
import { checkpoint } from '../commandCheck';
import { elasticNodeUrl } from '../elasticOption';
import { loadSidetapConfig } from '../sidetapConfig';
import { UsageError } from '../usageError';
import type { CommandIo } from './commandIo';

export const ES_USAGE = 'sidetap es setup --node URL [--kibana URL] [--api-key KEY] [--namespace NS] [--config sidetap.yaml]';

/** The id of the findings data view in deploy/kibana/00-data-views.ndjson. */
const FINDINGS_DATA_VIEW = 'sidetap-findings';

/** The saved objects shipped with sidetap (deploy/kibana at the repository root). */
export const KIBANA_OBJECTS_DIR = resolve(__dirname, '../../../../deploy/kibana');

export async function esCommand(argv: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'setup') throw new UsageError(`sidetap es: expected the sub-command setup (${ES_USAGE}).`);
  const args = parseCommandArgs('es setup', rest, {
    node: { type: 'string' },
    kibana: { type: 'string' },
    'api-key': { type: 'string' },
    namespace: { type: 'string' },
    config: { type: 'string' },
    'kibana-objects': { type: 'string' },
  });
  if (args.positionals.length > 0) throw new UsageError(`sidetap es setup: unexpected argument "${args.positionals[0]}" (${ES_USAGE}).`);
  const loaded = loadSidetapConfig(stringOption(args, 'config'));
  const nodeFlag = stringOption(args, 'node');
  const apiKey = stringOption(args, 'api-key') ?? loaded.indexer.elasticsearch.apiKey;
  const namespace = stringOption(args, 'namespace');
  const config = {
    ...loaded.indexer.elasticsearch,
    ...(nodeFlag !== undefined ? { node: elasticNodeUrl(nodeFlag, '--node') } : {}),
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  };
  if (!/^[a-z0-9_]{1,100}$/.test(config.namespace)) throw new UsageError(`--namespace: expected lower-case letters, digits and underscores, got "${config.namespace}".`);
  const kibanaFlag = stringOption(args, 'kibana');
  const kibana = kibanaFlag === undefined ? undefined : elasticNodeUrl(kibanaFlag, '--kibana');
  const objectsDir = stringOption(args, 'kibana-objects') ?? KIBANA_OBJECTS_DIR;
  const objectFiles = kibana === undefined ? [] : kibanaObjectFiles(objectsDir);
  checkpoint(io, 'es setup');

  const client = createElasticClient(config);
  try {
    const result = await setupElastic(client, config);
    io.stdout.write(`Elasticsearch ${result.version} at ${config.node}:\n`);
    for (const s of result.steps) io.stdout.write(`  installed ${s.kind} ${s.name}\n`);
    io.stdout.write(`findings go to logs-sidetap.findings-${config.namespace} (sessions and events alike).\n`);
  } catch (err) {
    io.stderr.write(`sidetap es setup: ${failureText(err, config.node)}\n`);
    return 1;
  } finally {
    await client.close();
  }
  if (kibana === undefined) return 0;
  try {
    const auth = config.apiKey !== undefined ? { apiKey: config.apiKey } : config.username !== undefined ? { username: config.username, password: config.password ?? '' } : {};
    const imported = await importKibanaObjects(objectFiles, { url: kibana, ...auth, defaultDataView: FINDINGS_DATA_VIEW });
    for (const r of imported) io.stdout.write(`Kibana: imported ${r.imported} saved objects from ${r.file}\n`);
    io.stdout.write(`open ${kibana}/app/dashboards and search "sidetap" (docs/kibana.md).\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`sidetap es setup: ${failureText(err, kibana)}\n`);
    return 1;
  }
}

function kibanaObjectFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new UsageError(`--kibana-objects: ${dir} is not a readable directory of saved-object NDJSON files.`);
  }
  const files = names.filter((n) => n.endsWith('.ndjson')).sort().map((n) => join(dir, n));
  if (files.length === 0) throw new UsageError(`--kibana-objects: ${dir} holds no .ndjson saved-object files.`);
  return files;
}

function failureText(err: unknown, url: string): string {
  if (err instanceof ElasticSetupError || err instanceof KibanaImportError) return `${err.message}.`.replace(/\.\.$/, '.');
  const e = err as { name?: string; message?: string; meta?: { statusCode?: number }; cause?: { code?: string } };
  if (e.meta?.statusCode === 401 || e.meta?.statusCode === 403) return `${url} refused the credentials (${e.meta.statusCode}); check --api-key.`;
  const code = e.cause?.code ?? e.name ?? 'error';
  return `cannot reach ${url} (${code}: ${(e.message ?? '').slice(0, 160)}).`;
}
