// The model store a command uses: Redis when the state is in Redis (`--redis URL` or `state.kind:
// redis`), so every engine instance and `sidetap models ...` share one set of models; else the
// `models/` directory of the local store. An unreachable Redis is one sentence, exit status 2.
import { DirectoryModelStore, RedisModelStore } from '@sidetap/bus';
import type { ModelStore } from '@sidetap/core';
import type { SidetapConfig } from '../sidetapConfig';
import { UsageError } from '../usageError';

export async function openModelStore(config: SidetapConfig, storeDir: string): Promise<ModelStore> {
  if (config.state.kind !== 'redis') return new DirectoryModelStore(storeDir);
  try {
    return await RedisModelStore.connect({ url: config.state.url, prefix: config.state.prefix, connectTimeoutMs: config.state.connectTimeoutMs });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.replace(/\.$/, '')}.`);
  }
}

/** Runs `use` with the command's model store open, and closes it however `use` ends. */
export async function withModelStore<T>(config: SidetapConfig, storeDir: string, use: (store: ModelStore) => Promise<T>): Promise<T> {
  const store = await openModelStore(config, storeDir);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
