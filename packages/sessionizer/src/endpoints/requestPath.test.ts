import { splitRequestPath } from './requestPath';

describe('splitRequestPath', () => {
  it.each([
    ['/', []],
    ['', []],
    ['/users/42', ['users', '42']],
    ['/users/42/', ['users', '42']], // trailing slash dropped
    ['//users///42', ['users', '42']], // repeated slashes collapse
    ['/users/42?x=1/2', ['users', '42']], // query never part of the path
    ['/a#frag/b', ['a']],
    ['/Users/ABC', ['Users', 'ABC']], // case kept
    ['/files/a%2Fb/..', ['files', 'a%2Fb', '..']], // raw: no decoding, no dot-segment removal
    ['http://example.com/x/y?z', ['x', 'y']], // absolute-form
    ['HTTPS://example.com', []],
    ['http://example.com?q=/a', []],
    ['users/42', ['users', '42']],
  ])('%j → %j', (raw, segments) => {
    expect(splitRequestPath(raw, 32)).toEqual({ segments, truncated: false });
  });

  it('caps the segment count and says so', () => {
    expect(splitRequestPath('/a/b/c/d', 3)).toEqual({ segments: ['a', 'b', 'c'], truncated: true });
    expect(splitRequestPath('/a/b/c/', 3)).toEqual({ segments: ['a', 'b', 'c'], truncated: false });
    expect(splitRequestPath('/a/b/c?d/e', 3)).toEqual({ segments: ['a', 'b', 'c'], truncated: false });
  });
});
