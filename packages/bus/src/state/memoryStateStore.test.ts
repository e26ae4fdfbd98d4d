// The memory store: the shared behaviour, then its own limits, eviction and event-time purging.
import { Counters } from '@sidetap/core';
import { MemoryStateStore } from './memoryStateStore';
import { STATE_COUNTERS } from './stateCounters';
import { describeStateStore } from './stateStoreSuite';

describeStateStore('memory', async (limits) => new MemoryStateStore(limits));

const T0 = Date.UTC(2001, 8, 9, 12, 0, 0);
const MINUTE = 60_000;

describe('MemoryStateStore limits', () => {
  it('evicts the least recently used key beyond maxKeys, and counts it', async () => {
    const s = new MemoryStateStore({ maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) await s.set(key, key, { now: T0 });
    expect(await s.get('a', T0)).toBe('a'); // a is now the most recently used
    await s.set('d', 'd', { now: T0 });
    expect(await s.get('b', T0)).toBeUndefined();
    expect(await s.get('a', T0)).toBe('a');
    expect(s.counters.get(STATE_COUNTERS.keysEvicted.value)).toBe(1);
    expect(s.sizes().value.keys).toBe(3);
  });

  it('holds the same number of keys after 200k distinct keys as after 1k, every eviction counted', async () => {
    const s = new MemoryStateStore({ maxKeys: 1_000 });
    for (let i = 0; i < 1_000; i++) await s.incrWindow(`actor-${String(i).padStart(6, '0')}`, T0, MINUTE);
    const after1k = s.sizes().counter;
    for (let i = 1_000; i < 200_000; i++) await s.incrWindow(`actor-${String(i).padStart(6, '0')}`, T0, MINUTE);
    expect(s.sizes().counter).toEqual(after1k);
    expect(s.counters.get(STATE_COUNTERS.keysEvicted.counter)).toBe(199_000);
  });

  it('evicts values beyond maxBytes, and counts it', async () => {
    const s = new MemoryStateStore({ maxBytes: 64 * 1024 });
    for (let i = 0; i < 20; i++) await s.set(`blob-${i}`, Buffer.alloc(10_000), { now: T0 });
    expect(s.sizes().value.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(s.counters.get(STATE_COUNTERS.keysEvicted.value)).toBe(20 - s.sizes().value.keys);
    expect(await s.getBuffer('blob-19', T0)).toHaveLength(10_000);
    expect(await s.getBuffer('blob-0', T0)).toBeUndefined();
  });

  it('weighs sketches by their form: many small ones fit where few dense ones do', async () => {
    const s = new MemoryStateStore({ maxBytes: 256 * 1024 });
    for (let i = 0; i < 200; i++) await s.addDistinct(`small-${i}`, ['a', 'b', 'c'], T0);
    expect(s.sizes().sketch.keys).toBe(200);
    const big = Array.from({ length: 5_000 }, (_, i) => `m${i}`);
    for (let i = 0; i < 20; i++) await s.addDistinct(`big-${i}`, big, T0);
    expect(s.sizes().sketch.bytes).toBeLessThanOrEqual(256 * 1024);
    expect(s.counters.get(STATE_COUNTERS.keysEvicted.sketch)).toBeGreaterThan(0);
    expect(await s.countDistinct(['big-19'])).toBeGreaterThan(4_900);
  });

  it('counts sorted-set members dropped beyond maxSortedSetMembers', async () => {
    const counters = new Counters();
    const s = new MemoryStateStore({ maxSortedSetMembers: 2 }, { counters });
    for (let i = 0; i < 5; i++) await s.zAdd('z', T0 + i, `m${i}`);
    expect(counters.get(STATE_COUNTERS.membersEvicted)).toBe(3);
    expect(s.counters).toBe(counters);
  });
});

describe('MemoryStateStore purging on event time', () => {
  it('purges expired values as event time advances, from any call', async () => {
    const s = new MemoryStateStore();
    for (let i = 0; i < 100; i++) await s.set(`session-${i}`, 'x', { now: T0, ttlMs: 1_000 + i });
    await s.set('forever', 'x', { now: T0 });
    await s.incrWindow('unrelated', T0 + 1_050, MINUTE);
    expect(s.sizes().value.keys).toBe(50);
    await s.zAdd('unrelated', T0 + 2_000, 'm');
    expect(s.sizes().value.keys).toBe(1);
    expect(s.counters.get(STATE_COUNTERS.keysExpired.value)).toBe(100);
  });

  it('does not purge when event time goes backwards, and a late read still sees what it should', async () => {
    const s = new MemoryStateStore();
    await s.set('k', 'v', { now: T0 + 10_000, ttlMs: 5_000 });
    expect(await s.get('k', T0)).toBe('v');
    expect(await s.get('k', T0 + 14_999)).toBe('v');
    expect(await s.get('k', T0)).toBe('v');
  });

  it('keeps at most windowRetention windows per counter and drops a counter whose windows are all old', async () => {
    const s = new MemoryStateStore({ windowRetention: 3 });
    for (let m = 0; m < 50; m++) await s.incrWindow('k', T0 + m * MINUTE, MINUTE);
    expect(s.sizes().counter.bytes).toBeLessThan(400);
    expect(await s.sumWindows('k', T0 + 49 * MINUTE, MINUTE, 3)).toBe(3);
    // Asking about a window past retention sees nothing, even before it is pruned.
    expect(await s.sumWindows('k', T0 + 40 * MINUTE, MINUTE, 1)).toBe(0);
    await s.set('clock', 'x', { now: T0 + 52 * MINUTE });
    expect(s.sizes().counter.keys).toBe(0);
    expect(s.counters.get(STATE_COUNTERS.keysExpired.counter)).toBe(1);
  });

  it('drops sorted sets and sketches idle for idleTtlMs of event time', async () => {
    const s = new MemoryStateStore({ idleTtlMs: 10_000 });
    await s.zAdd('idle-set', T0, 'a');
    await s.addDistinct('idle-sketch', ['a'], T0);
    await s.zAdd('busy-set', T0, 'a');
    await s.zAdd('busy-set', T0 + 9_000, 'b');
    await s.set('clock', 'x', { now: T0 + 10_000 });
    expect(await s.zCount('idle-set', -Infinity, Infinity)).toBe(0);
    expect(await s.countDistinct(['idle-sketch'])).toBe(0);
    expect(await s.zCount('busy-set', -Infinity, Infinity)).toBe(2);
    expect(s.counters.get(STATE_COUNTERS.keysExpired.sorted_set)).toBe(1);
    expect(s.counters.get(STATE_COUNTERS.keysExpired.sketch)).toBe(1);
  });

  it('gives the same answers on every replay of the same events', async () => {
    const replay = async (): Promise<unknown[]> => {
      const s = new MemoryStateStore({ maxKeys: 50, windowRetention: 5, idleTtlMs: 30_000 });
      const answers: unknown[] = [];
      for (let i = 0; i < 2_000; i++) {
        const at = T0 + i * 97;
        const actor = `actor-${(i * 7919) % 80}`;
        answers.push(await s.incrWindow(actor, at, 1_000));
        answers.push(await s.addDistinct(`paths:${actor}`, [`/p/${i % 13}`], at));
        answers.push(await s.zAdd(`attempts:${actor}`, at, `ex-${i}`));
        if (i % 10 === 0) answers.push(await s.sumWindows(actor, at, 1_000, 5), await s.countDistinct([`paths:${actor}`]));
      }
      answers.push(s.counters.snapshot());
      return answers;
    };
    expect(await replay()).toEqual(await replay());
  });
});

describe('union counts', () => {
  it('answers a repeated union from its cache until one of its sketches changes', async () => {
    const store = new MemoryStateStore({ kind: 'memory' });
    for (let i = 0; i < 500; i++) await store.addDistinct(i % 2 ? 'a' : 'b', [`m${i}`], 1000);
    const first = await store.countDistinct(['a', 'b']);
    expect(await store.countDistinct(['a', 'b'])).toBe(first);
    await store.addDistinct('b', Array.from({ length: 500 }, (_, i) => `n${i}`), 1000);
    expect(await store.countDistinct(['a', 'b'])).toBeGreaterThan(first + 400);
  });

  it('never answers one list of keys with the union of another that starts with the same key', async () => {
    const store = new MemoryStateStore({ kind: 'memory' });
    await store.addDistinct('a', Array.from({ length: 100 }, (_, i) => `a${i}`), 1000);
    await store.addDistinct('b', Array.from({ length: 300 }, (_, i) => `b${i}`), 1000);
    await store.addDistinct('c', Array.from({ length: 900 }, (_, i) => `c${i}`), 1000);
    const ab = await store.countDistinct(['a', 'b']);
    const ac = await store.countDistinct(['a', 'c']);
    const abc = await store.countDistinct(['a', 'b', 'c']);
    expect([ab, ac, abc].map((n) => Math.round(n / 100))).toEqual([4, 10, 13]);
    // Asked again in another order, each list still gets its own union.
    expect(await store.countDistinct(['a', 'c'])).toBe(ac);
    expect(await store.countDistinct(['a', 'b'])).toBe(ab);
    expect(await store.countDistinct(['a', 'b', 'c'])).toBe(abc);
  });
});

describe('windowed counters', () => {
  it('counts and sums each counter and window on its own, whatever was asked just before', async () => {
    const store = new MemoryStateStore({ kind: 'memory', windowRetention: 3 });
    const key = 'k';
    expect(await store.incrWindow(key, 1_000, 1_000)).toBe(1);
    expect(await store.incrWindow(key, 1_500, 1_000, 4)).toBe(5);
    // The same key under another window length is another counter.
    expect(await store.incrWindow(key, 1_500, 500)).toBe(1);
    expect(await store.sumWindows(key, 1_500, 1_000, 1)).toBe(5);
    expect(await store.sumWindows(`${'k'}`, 1_999, 500, 2)).toBe(1);
    expect(await store.incrWindow('other', 2_000, 1_000)).toBe(1);
    expect(await store.sumWindows(key, 2_000, 1_000, 2)).toBe(5);
    // A late event in a window already past retention starts it afresh.
    await store.incrWindow(key, 9_000, 1_000);
    expect(await store.incrWindow(key, 1_200, 1_000)).toBe(1);
    expect(await store.sumWindows(key, 9_000, 1_000, 3)).toBe(1);
  });
});
