// Test helper: runs events through a fresh anomaly engine (memory state) to the end of the stream.
import { DirectoryModelStore, MemoryStateStore } from '@sidetap/bus';
import { Counters } from '@sidetap/core';
import type { Event, Finding } from '@sidetap/core';
import { pino } from 'pino';
import { anomalyConfigSchema } from './anomalyConfig';
import { createAnomalyEngine } from './anomalyEngine';

export async function detectAll(events: readonly Event[], config: object = {}, counters = new Counters(), batch = events.length || 1): Promise<Finding[]> {
  const engine = createAnomalyEngine(anomalyConfigSchema.parse(config), {
    logger: pino({ level: 'silent' }),
    counters,
    storeDir: '/nonexistent',
    models: new DirectoryModelStore('/nonexistent'),
    state: new MemoryStateStore({ kind: 'memory' }),
  });
  const out: Finding[] = [];
  for (let i = 0; i < events.length; i += batch) out.push(...(await engine.process(events.slice(i, i + batch))));
  out.push(...(await engine.flush(Number.MAX_SAFE_INTEGER)));
  return out;
}

/**
 * Like detectAll, over `instances` engines sharing one state store (as several engines over Redis
 * do), the events dealt out one at a time in turn.
 */
export async function detectShared(events: readonly Event[], config: object, instances: number): Promise<Finding[]> {
  const state = new MemoryStateStore({ kind: 'memory' });
  const engines = Array.from({ length: instances }, () =>
    createAnomalyEngine(anomalyConfigSchema.parse(config), {
      logger: pino({ level: 'silent' }),
      counters: new Counters(),
      storeDir: '/nonexistent',
      models: new DirectoryModelStore('/nonexistent'),
      state,
    }),
  );
  const out: Finding[] = [];
  for (const [i, e] of events.entries()) out.push(...(await engines[i % instances]!.process([e])));
  for (const engine of engines) out.push(...(await engine.flush(Number.MAX_SAFE_INTEGER)));
  return out;
}
