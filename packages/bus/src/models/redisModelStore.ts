// The distributed model store: each document is one Redis string under `<prefix>models:<name>`,
// so every engine instance starts from the same models and `sidetap models ... --redis URL`
// changes them for all. Each write also bumps `<key>:revision` and keeps the text it replaced
// under `<key>:previous`, so a bad import can be seen and undone.
import type Redis from 'ioredis';
import { ioredis } from '../ioredisModule';
import type { ModelStore } from '@sidetap/core';
import { redactRedisUrl } from '../redisUrl';
import { checkDocumentName } from './documentName';

export interface RedisModelStoreOptions {
  url: string;
  /** Key prefix shared with the state store, default `sidetap:`. */
  prefix?: string;
  connectTimeoutMs?: number;
}

export class RedisModelStore implements ModelStore {
  readonly kind = 'redis' as const;
  private readonly prefix: string;

  /** Connects and checks Redis answers; fails with one sentence naming the URL when it does not. */
  static async connect(options: RedisModelStoreOptions): Promise<RedisModelStore> {
    const client = new (ioredis())(options.url, { lazyConnect: true, connectTimeout: options.connectTimeoutMs ?? 5_000, maxRetriesPerRequest: 3, retryStrategy: () => null });
    let lastError: Error | undefined;
    client.on('error', (error: Error) => (lastError = error));
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      if (client.status !== 'end') client.disconnect();
      throw new Error(`model store: cannot reach Redis at ${redactRedisUrl(options.url)} (${(lastError ?? (error as Error)).message})`, { cause: error });
    }
    return new RedisModelStore(client, options);
  }

  private constructor(
    private readonly client: Redis,
    private readonly options: RedisModelStoreOptions,
  ) {
    this.prefix = options.prefix ?? 'sidetap:';
  }

  where(name: string): string {
    return `${redactRedisUrl(this.options.url)} key ${this.key(name)}`;
  }

  async get(name: string): Promise<string | undefined> {
    return (await this.client.get(this.key(name))) ?? undefined;
  }

  async put(name: string, text: string): Promise<void> {
    const key = this.key(name);
    const previous = await this.client.get(key);
    const multi = this.client.multi().set(key, text).incr(`${key}:revision`);
    if (previous !== null) multi.set(`${key}:previous`, previous);
    const replies = await multi.exec();
    const failed = replies?.find(([err]) => err !== null);
    if (replies === null || failed !== undefined) throw new Error(`model store: writing ${key} failed (${failed?.[0]?.message ?? 'transaction aborted'})`);
  }

  /** How many times the document was written (0 when never). */
  async revision(name: string): Promise<number> {
    return Number((await this.client.get(`${this.key(name)}:revision`)) ?? 0);
  }

  async close(): Promise<void> {
    if (this.client.status !== 'end') await this.client.quit().catch(() => this.client.disconnect());
  }

  private key(name: string): string {
    return `${this.prefix}models:${checkDocumentName(name)}`;
  }
}
