// The factory: defaults from the schema, and bad configuration refused at start-up in one sentence.
import { Counters } from '@sidetap/core';
import { createStateStore } from './createStateStore';
import { MemoryStateStore } from './memoryStateStore';
import { stateStoreConfigSchema } from './stateStoreConfig';

describe('createStateStore', () => {
  it('makes a memory store with the schema defaults and the given counters', async () => {
    const counters = new Counters();
    const store = await createStateStore({ kind: 'memory' }, { counters });
    expect(store).toBeInstanceOf(MemoryStateStore);
    expect(store.counters).toBe(counters);
    expect((store as MemoryStateStore).config).toEqual({
      kind: 'memory',
      windowRetention: 60,
      maxSortedSetMembers: 10_000,
      idleTtlMs: 7 * 86_400_000,
      maxKeys: 100_000,
      maxBytes: 64 << 20,
    });
    await store.close();
  });

  it.each([
    [{ kind: 'memory', maxKeys: 0 }, /^state\.maxKeys: /],
    [{ kind: 'memory', maxKey: 10 }, /^state: .*maxKey/],
    [{ kind: 'memory', url: 'redis://x' }, /^state: .*url/],
    [{ kind: 'redis' }, /^state\.url: /],
    [{ kind: 'redis', url: 'http://127.0.0.1:6379' }, /^state\.url: must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ kind: 'redis', url: 'redis://127.0.0.1:6379', prefix: '' }, /^state\.prefix: /],
    [{ kind: 'files' }, /^state\.kind: /],
  ])('refuses %j', async (config, message) => {
    await expect(createStateStore(config as never)).rejects.toThrow(message);
  });

  it('describes every option', () => {
    for (const option of stateStoreConfigSchema.options) {
      for (const [name, field] of Object.entries(option.shape)) expect([name, field.description]).toEqual([name, expect.any(String)]);
    }
  });
});
