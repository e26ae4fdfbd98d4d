// Opens the configured state store for a runner; a bad setting or an unreachable Redis stops the
// command at start-up with one sentence (exit status 2).
import { createStateStore } from '@sidetap/bus';
import type { Counters, StateStore } from '@sidetap/core';
import type { SidetapConfig } from '../sidetapConfig';
import { UsageError } from '../usageError';

export async function openStateStore(config: SidetapConfig, counters: Counters): Promise<StateStore> {
  try {
    return await createStateStore(config.state, { counters });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.replace(/\.$/, '')}.`);
  }
}
