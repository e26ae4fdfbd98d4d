import { ClockMap } from './clockMap';

describe('ClockMap', () => {
  it('evicts the first entry not used since the hand last passed it', () => {
    const map = new ClockMap<number>();
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect(map.get('a')).toBe(1);
    expect(map.evictOne()).toEqual(['b', 2]); // 'a' was used: it gets a second chance
    map.set('d', 4); // takes the freed slot, behind the hand
    expect(map.evictOne()).toEqual(['c', 3]);
    expect(map.evictOne()).toEqual(['a', 1]); // its flag was cleared on the first pass
    expect([...map.entries()]).toEqual([['d', 4]]);
  });

  it('evicts even when every entry was used, and empties', () => {
    const map = new ClockMap<number>();
    map.set('a', 1);
    map.set('b', 2);
    map.get('a');
    map.get('b');
    expect(map.evictOne()).toEqual(['a', 1]);
    expect(map.evictOne()).toEqual(['b', 2]);
    expect(map.evictOne()).toBeUndefined();
    expect(map.size).toBe(0);
  });

  it('deletes, replaces and lists in hand order', () => {
    const map = new ClockMap<string>();
    for (const k of ['a', 'b', 'c']) map.set(k, k.toUpperCase());
    expect(map.delete('b')).toBe(true);
    expect(map.delete('b')).toBe(false);
    map.set('c', 'C2');
    map.set('e', 'E');
    expect([...map.entries()]).toEqual([['a', 'A'], ['e', 'E'], ['c', 'C2']]);
    expect(map.has('e')).toBe(true);
    map.clear();
    expect([...map.entries()]).toEqual([]);
  });

  it('stays fast when used as a queue with many evictions', () => {
    const map = new ClockMap<number>();
    for (let i = 0; i < 8192; i++) map.set(`k${i}`, i);
    for (let i = 8192; i < 200_000; i++) {
      map.evictOne();
      map.set(`k${i}`, i);
    }
    expect(map.size).toBe(8192);
  });
});
