// `--redis URL`: the state (and with it the model store) in Redis rather than in memory.
import { redisStateStoreConfigSchema } from '@sidetap/bus';
import type { SidetapConfig } from './sidetapConfig';
import { UsageError } from './usageError';

/** `--redis redis://host:6379/0` puts the stage's state in Redis, keeping the configured limits. */
export function withRedis(config: SidetapConfig, url: string | undefined): SidetapConfig {
  if (url === undefined) return config;
  if (!/^rediss?:\/\//.test(url)) throw new UsageError(`--redis: expected a redis:// or rediss:// URL, got "${url}".`);
  if (config.state.kind === 'redis') return { ...config, state: { ...config.state, url } };
  const { windowRetention, maxSortedSetMembers, idleTtlMs } = config.state;
  const state = redisStateStoreConfigSchema.parse({ kind: 'redis', url, windowRetention, maxSortedSetMembers, idleTtlMs });
  return { ...config, state };
}

