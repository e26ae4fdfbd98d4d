import { LruCache } from './lruCache';

describe('LruCache', () => {
  it('evicts the least recently used entry, a read counting as a use', () => {
    const cache = new LruCache<string, number>(2);
    expect(cache.set('a', 1)).toBeUndefined();
    expect(cache.set('b', 2)).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.set('c', 3)).toEqual(['b', 2]);
    expect(cache.peekOldest()).toBe(1);
    expect(cache.get('b')).toBeUndefined();
    expect([...cache.keys()]).toEqual(['c', 'a']);
    expect(cache.size).toBe(2);
  });

  it('replaces a value without evicting', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.set('a', 10)).toBeUndefined();
    expect([...cache.keys()]).toEqual(['a', 'b']);
    expect(cache.get('a')).toBe(10);
  });

  it('keeps nothing at capacity 0', () => {
    const cache = new LruCache<string, number>(0);
    expect(cache.set('a', 1)).toBeUndefined();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps its list whole through many hits and evictions', () => {
    const cache = new LruCache<number, number>(3);
    for (let i = 0; i < 100; i++) {
      cache.set(i % 7, i);
      cache.get((i * 3) % 7);
    }
    const keys = [...cache.keys()];
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
    for (const k of keys) expect(cache.get(k)).toBeDefined();
  });
});
