import { FlowTable } from './flowTable';
import type { FlowLink } from './flowTable';

class Entry implements FlowLink<Entry> {
  lastUs = 0;
  older: Entry | undefined;
  newer: Entry | undefined;
  constructor(readonly key: string) {}
}

const order = (table: FlowTable<Entry>): string[] => {
  const keys: string[] = [];
  for (let e = table.oldest(); e !== undefined; e = e.newer) keys.push(e.key);
  return keys;
};

describe('FlowTable', () => {
  it('keeps entries in order of last activity', () => {
    const table = new FlowTable<Entry>();
    const [a, b, c] = [new Entry('a'), new Entry('b'), new Entry('c')];
    table.add(a, 1);
    table.add(b, 2);
    table.add(c, 3);
    table.touch(a, 4);
    expect(order(table)).toEqual(['b', 'c', 'a']);
    expect(a.lastUs).toBe(4);
    table.touch(a, 5);
    table.touch(c, 6);
    expect(order(table)).toEqual(['b', 'a', 'c']);
    expect(table.get('a')).toBe(a);
  });

  it('removes entries from the middle and the ends', () => {
    const table = new FlowTable<Entry>();
    const entries = ['a', 'b', 'c', 'd'].map((k) => new Entry(k));
    entries.forEach((e, i) => table.add(e, i));
    table.remove(entries[1] as Entry);
    table.remove(entries[0] as Entry);
    table.remove(entries[3] as Entry);
    expect(order(table)).toEqual(['c']);
    expect(table.size).toBe(1);
    table.remove(entries[3] as Entry);
    table.remove(entries[2] as Entry);
    expect(table.oldest()).toBeUndefined();
    expect(table.size).toBe(0);
  });

  it('does not unlink an entry that replaced a removed one under the same key', () => {
    const table = new FlowTable<Entry>();
    const old = new Entry('k');
    table.add(old, 1);
    table.remove(old);
    const fresh = new Entry('k');
    table.add(fresh, 2);
    table.remove(old);
    expect(table.get('k')).toBe(fresh);
    expect(order(table)).toEqual(['k']);
  });
});
