import { paramCount, parseParams, pollutedParam } from './parameterPollution';

const sensitive = new Set(['id', 'role']);

describe('parameters', () => {
  it('parses and decodes names and values', () => {
    expect(parseParams('a=1&b&%69d=x+y&&c=%ZZ')).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: '' },
      { name: 'id', value: 'x y' },
      { name: 'c', value: '%ZZ' },
    ]);
    expect(paramCount('a=1&b&&c=')).toBe(3);
  });

  it('judges repetition of sensitive names only', () => {
    expect(pollutedParam(parseParams('id=1&%69d=2'), sensitive, new Set())).toEqual({ name: 'id', values: ['1', '2'] });
    expect(pollutedParam(parseParams('ids=1&ids=2'), sensitive, new Set())).toBeUndefined();
    expect(pollutedParam(parseParams('id=1&id=1'), sensitive, new Set())).toBeUndefined();
    expect(pollutedParam(parseParams('id=1&id=2'), sensitive, new Set(['id']))).toBeUndefined();
  });
});
