import { BoundedTally } from './boundedTally';

describe('BoundedTally', () => {
  it('counts names, most frequent first and ties by name, and counts names past the cap as other', () => {
    const tally = new BoundedTally(3);
    for (const name of ['b', 'a', 'c', 'b', 'd', 'a', 'e', 'b']) tally.add(name);
    tally.add('c', 2);
    tally.add('d', 5);
    expect(tally.top()).toEqual([
      ['b', 3],
      ['c', 3],
      ['a', 2],
      ['other', 7],
    ]);
    expect(tally.top(1)).toEqual([
      ['b', 3],
      ['other', 7],
    ]);
  });

  it('gives no rows before anything is counted', () => {
    expect(new BoundedTally(2).top()).toEqual([]);
  });
});
