// The one way a runner gets a state store: memory for the embedded mode, Redis for the distributed
// one. Bad configuration fails here, at start-up, with one sentence naming the option.
import { MemoryStateStore } from './memoryStateStore';
import { RedisStateStore } from './redisStateStore';
import type { StateStore, StateStoreDeps } from '@sidetap/core';
import { stateStoreConfigSchema, type StateStoreConfigInput } from './stateStoreConfig';

export async function createStateStore(config: StateStoreConfigInput, deps: StateStoreDeps = {}): Promise<StateStore> {
  const parsed = stateStoreConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length > 0 ? `state.${issue.path.join('.')}` : 'state';
    throw new Error(`${path}: ${issue.message}`);
  }
  const checked = parsed.data;
  switch (checked.kind) {
    case 'memory':
      return new MemoryStateStore(checked, deps);
    case 'redis':
      return RedisStateStore.connect(checked, deps);
    default: {
      const unknownKind: never = checked;
      throw new Error(`state.kind: unknown kind ${String(unknownKind)}`);
    }
  }
}
