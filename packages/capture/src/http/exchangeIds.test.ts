import { ExchangeIds } from './exchangeIds';

describe('ExchangeIds', () => {
  it('gives deterministic, distinct 24-hex-digit ids per connection and index', () => {
    const seen = new Set<string>();
    for (const conn of ['c1', 'c2']) {
      const ids = new ExchangeIds(conn);
      for (const index of [0, 1, 15, 16, 255, 0xffffffff, 0x100000000]) {
        const id = ids.id(index);
        expect(id).toMatch(/^[0-9a-f]{24}$/);
        expect(new ExchangeIds(conn).id(index)).toBe(id);
        seen.add(id);
      }
    }
    expect(seen.size).toBe(14);
  });
});
