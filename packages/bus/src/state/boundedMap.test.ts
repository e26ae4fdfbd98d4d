// BoundedMap: LRU order, deadlines that move, and a heap that does not grow with stale entries.
import { Counters } from '@sidetap/core';
import { BoundedMap } from './boundedMap';
import { STATE_COUNTERS } from './stateCounters';

function make(maxKeys = 1_000, maxBytes = Infinity): { map: BoundedMap<number>; counters: Counters } {
  const counters = new Counters();
  return { map: new BoundedMap<number>('value', { maxKeys, maxBytes, sizeOf: () => 0 }, counters), counters };
}

describe('BoundedMap', () => {
  it('expires by the latest deadline given, however often it moved', () => {
    const { map, counters } = make();
    map.set('a', 1, 100);
    map.touched('a', 50);
    map.touched('a', 300);
    map.set('b', 2, 200);
    map.expire(250);
    expect(map.get('a')).toBe(1);
    expect(map.get('b')).toBeUndefined();
    map.touched('a', Infinity);
    map.expire(10_000);
    expect(map.get('a')).toBe(1);
    expect(counters.get(STATE_COUNTERS.keysExpired.value)).toBe(1);
  });

  it('matches a plain model under random sets, moves, deletes and expiry', () => {
    const { map } = make(64);
    const model = new Map<string, { value: number; deadline: number }>();
    let state = 99;
    const random = (n: number): number => (state = (Math.imul(state, 48271) >>> 0) % 2147483647) % n;
    let clock = 0;
    const sizeMismatches: number[] = [];
    for (let step = 0; step < 20_000; step++) {
      const key = `k${random(50)}`;
      const op = random(10);
      if (op < 4) {
        const deadline = clock + 1 + random(500);
        map.set(key, step, deadline);
        model.delete(key);
        model.set(key, { value: step, deadline });
      } else if (op < 7) {
        const deadline = clock + 1 + random(500);
        map.touched(key, deadline);
        const entry = model.get(key);
        if (entry) entry.deadline = deadline;
      } else if (op < 8) {
        map.delete(key);
        model.delete(key);
      } else {
        clock += random(50);
        map.expire(clock);
        for (const [k, e] of model) if (e.deadline <= clock) model.delete(k);
      }
      if (map.size !== model.size) sizeMismatches.push(step);
    }
    expect(sizeMismatches).toEqual([]);
    for (const [k, e] of model) expect(map.get(k)).toBe(e.value);
  });
});
