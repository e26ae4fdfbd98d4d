// Makes the Elasticsearch client the sink and `sidetap es setup` share, from the sink's config.
import { readFileSync } from 'node:fs';
import type { Client, ClientOptions, Transport } from '@elastic/elasticsearch';
import type { ElasticConfig } from './elasticConfig';

type ElasticModule = typeof import('@elastic/elasticsearch');
type TransportOptions = ConstructorParameters<typeof Transport>[0];

let loaded: { module: ElasticModule; transport: typeof Transport } | undefined;

/**
 * The client is loaded on first use: it costs ~0.25 s of start-up, which every command that
 * imports the indexer (`sidetap findings`, `timeline`, `report`) would pay without touching it.
 */
function elastic(): { module: ElasticModule; transport: typeof Transport } {
  if (loaded !== undefined) return loaded;
  const module = require('@elastic/elasticsearch') as ElasticModule;
  /**
   * The 9.x client asks for the 9.x REST API (`compatible-with=9`), which an 8.x cluster refuses.
   * Every 9.x cluster still serves the 8.x API, so asking for that speaks to both majors with one
   * client (the 9.4 client is the newest that runs on Node 20, and the 8.x clients are past support).
   */
  class Compatible8Transport extends module.Transport {
    constructor(opts: TransportOptions) {
      super({
        ...opts,
        vendoredHeaders: {
          jsonContentType: 'application/vnd.elasticsearch+json; compatible-with=8',
          ndjsonContentType: 'application/vnd.elasticsearch+x-ndjson; compatible-with=8',
          accept: 'application/vnd.elasticsearch+json; compatible-with=8,text/plain',
        },
      });
    }
  }
  loaded = { module, transport: Compatible8Transport };
  return loaded;
}

export type ElasticConnectionOptions = Pick<ElasticConfig, 'node' | 'apiKey' | 'username' | 'password' | 'caFile' | 'requestTimeoutMs'>;

/**
 * `connection` replaces the HTTP layer and nothing else; tests pass Elastic's own mock
 * (`@elastic/elasticsearch-mock`) there, so they run the same client, serializer and retries.
 */
export function createElasticClient(config: ElasticConnectionOptions, connection?: ClientOptions['Connection']): Client {
  const { module, transport } = elastic();
  const options: ClientOptions = {
    node: config.node,
    Transport: transport,
    requestTimeout: config.requestTimeoutMs,
    // Our own loop retries with backoff for as long as the cluster is away; the client's retries
    // only cover a blip on one node.
    maxRetries: 2,
    compression: true,
  };
  if (config.apiKey !== undefined) options.auth = { apiKey: config.apiKey };
  else if (config.username !== undefined && config.password !== undefined) options.auth = { username: config.username, password: config.password };
  if (config.caFile !== undefined) {
    let ca: Buffer;
    try {
      ca = readFileSync(config.caFile);
    } catch (err) {
      throw new Error(`${config.caFile}: cannot read the Elasticsearch CA file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    options.tls = { ca };
  }
  if (connection !== undefined) options.Connection = connection;
  return new module.Client(options);
}
