// EndpointBaselines keeps the parse of the last value it read per endpoint: what it hands out
// must always be what the store holds, after its own writes and after anyone else's.
import { MemoryStateStore } from '@sidetap/bus';
import { EndpointBaselines, learnedRequests } from './endpointBaseline';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const TTL = 30 * 86_400_000;

describe('EndpointBaselines', () => {
  it('reads back every change it learns, though it keeps the last parse', async () => {
    const baselines = new EndpointBaselines(new MemoryStateStore({ kind: 'memory' }), TTL);
    let b = await baselines.read('/api/v1/items', T0);
    await baselines.learn('/api/v1/items', b, 'GET', 0, [], T0);
    b = await baselines.read('/api/v1/items', T0 + 1);
    expect(b.methods.get('GET')).toEqual([1, 0]);
    // The same text again: the same parse, unchanged.
    expect(await baselines.read('/api/v1/items', T0 + 2)).toBe(b);
    await baselines.learn('/api/v1/items', b, 'POST', 512, ['tag'], T0 + 3);
    const after = await baselines.read('/api/v1/items', T0 + 4);
    expect([...after.methods]).toEqual([
      ['GET', [1, 0]],
      ['POST', [1, 512]],
    ]);
    expect([...after.repeats]).toEqual(['tag']);
    expect(learnedRequests(after)).toBe(2);
  });

  it('parses again when another writer replaced the value, even with a baseline it handed out still held', async () => {
    const state = new MemoryStateStore({ kind: 'memory' });
    const mine = new EndpointBaselines(state, TTL);
    const theirs = new EndpointBaselines(state, TTL);
    await mine.learn('/e', await mine.read('/e', T0), 'GET', 10, [], T0);
    const held = await mine.read('/e', T0 + 1);
    await theirs.learn('/e', await theirs.read('/e', T0 + 2), 'GET', 99, [], T0 + 2);
    const fresh = await mine.read('/e', T0 + 3);
    expect(fresh).not.toBe(held);
    expect(fresh.methods.get('GET')).toEqual([2, 99]);
    expect(held.methods.get('GET')).toEqual([1, 10]);
  });

  it('starts from nothing once the value expired', async () => {
    const baselines = new EndpointBaselines(new MemoryStateStore({ kind: 'memory' }), 60_000);
    await baselines.learn('/e', await baselines.read('/e', T0), 'GET', 0, [], T0);
    expect(learnedRequests(await baselines.read('/e', T0 + 1))).toBe(1);
    const later = await baselines.read('/e', T0 + 60_000);
    expect(later.methods.size).toBe(0);
    expect(later.day).toBe(-1);
  });
});
