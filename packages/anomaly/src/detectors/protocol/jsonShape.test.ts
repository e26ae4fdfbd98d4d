import { scanJson } from './jsonShape';

describe('scanJson', () => {
  it('measures depth and the largest container', () => {
    expect(scanJson('{"a":[1,2,3],"b":{"c":{}}}', 1e6)).toEqual({ depth: 3, largest: 3 });
    expect(scanJson('[]', 1e6)).toEqual({ depth: 1, largest: 0 });
    expect(scanJson('{"a":"x"}', 1e6)).toEqual({ depth: 1, largest: 1 });
  });

  it('finds keys repeated within one object, not across objects', () => {
    expect(scanJson('{"a":1,"b":{"a":2},"c":[{"a":1},{"a":1}]}', 1e6).duplicateKey).toBeUndefined();
    expect(scanJson('{"a":1,"b":2,"a":3}', 1e6).duplicateKey).toBe('a');
    expect(scanJson('{"a\\"b":1,"a\\u0022b":2}', 1e6).duplicateKey).toBe('a"b');
  });

  it('ignores brackets, commas and quotes inside strings', () => {
    expect(scanJson('{"k":"[[[,,,{\\"x\\":1}","k2":"]]"}', 1e6)).toEqual({ depth: 1, largest: 2 });
  });

  it('reads a sample cut mid-document', () => {
    expect(scanJson('[[1,2,3,4', 1e6)).toEqual({ depth: 2, largest: 4 });
    expect(scanJson('[[[[[[', 3).depth).toBe(3);
  });
});
