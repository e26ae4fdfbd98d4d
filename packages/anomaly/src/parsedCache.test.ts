import { ParsedCache } from './parsedCache';

describe('ParsedCache', () => {
  const counting = () => {
    let parses = 0;
    const cache = new ParsedCache((text: string) => {
      parses++;
      return JSON.parse(text) as { n: number };
    }, 2);
    return { cache, parses: () => parses };
  };

  it('answers the text it kept without parsing, and parses any other text', () => {
    const { cache, parses } = counting();
    const value = { n: 1 };
    cache.keep('a', '{"n":1}', value);
    expect(cache.peek('a', '{"n":1}')).toBe(value);
    expect(parses()).toBe(0);
    // Written by another instance sharing the store: other text, parsed, and kept for the next read.
    const other = cache.peek('a', '{"n":2}');
    expect(other).toEqual({ n: 2 });
    expect(cache.peek('a', '{"n":2}')).toBe(other);
    expect(parses()).toBe(1);
    // Same text under another key is not the kept value.
    expect(cache.peek('b', '{"n":1}')).not.toBe(value);
  });

  it('hands a taken value over once: until it is kept again, the text is parsed', () => {
    const { cache, parses } = counting();
    const value = { n: 1 };
    cache.keep('a', '{"n":1}', value);
    const taken = cache.take('a', '{"n":1}');
    expect(taken).toBe(value);
    // Changed, but the write never happened: the stored text is parsed afresh.
    taken.n = 99;
    expect(cache.take('a', '{"n":1}')).toEqual({ n: 1 });
    expect(parses()).toBe(1);
    cache.keep('a', '{"n":99}', taken);
    expect(cache.take('a', '{"n":99}')).toBe(taken);
  });

  it('keeps the newest text of a key, and starts over when full', () => {
    const { cache, parses } = counting();
    cache.keep('a', '{"n":1}', { n: 1 });
    cache.keep('a', '{"n":2}', { n: 2 });
    cache.keep('b', '{"n":3}', { n: 3 });
    expect(cache.peek('a', '{"n":2}')).toEqual({ n: 2 });
    expect(cache.peek('b', '{"n":3}')).toEqual({ n: 3 });
    expect(parses()).toBe(0);
    // A third key finds the cache full: only the newest is left.
    cache.keep('c', '{"n":4}', { n: 4 });
    expect(cache.peek('c', '{"n":4}')).toEqual({ n: 4 });
    expect(parses()).toBe(0);
    cache.peek('a', '{"n":2}');
    expect(parses()).toBe(1);
  });
});
