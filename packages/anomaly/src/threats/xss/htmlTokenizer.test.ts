import { TagReader } from './htmlTokenizer';

interface Attr {
  name: string;
  value: string | undefined;
}

function readTag(s: string, lt = s.indexOf('<')): { name: string; attrs: Attr[]; closed: boolean } | undefined {
  const r = new TagReader();
  if (!r.beginTag(s, lt)) return undefined;
  const attrs: Attr[] = [];
  while (r.nextAttribute()) {
    attrs.push({ name: s.slice(r.attrStart, r.attrEnd), value: r.hasValue() ? s.slice(r.valueStart, r.valueEnd) : undefined });
  }
  return { name: s.slice(r.nameStart, r.nameEnd), attrs, closed: r.closed };
}

describe('TagReader', () => {
  it('reads a tag name and quoted, unquoted and valueless attributes', () => {
    expect(readTag('<img src="a.png" alt=x hidden>')).toEqual({
      name: 'img',
      attrs: [
        { name: 'src', value: 'a.png' },
        { name: 'alt', value: 'x' },
        { name: 'hidden', value: undefined },
      ],
      closed: true,
    });
  });

  it('treats text after a lone < as text, like the browser', () => {
    expect(readTag('a < b')).toBeUndefined();
    expect(readTag('x<3')).toBeUndefined();
    expect(readTag('<= 100')).toBeUndefined();
  });

  it('separates attributes by / and by a closing quote alone', () => {
    expect(readTag('<svg/onload=go()>')?.attrs).toEqual([{ name: 'onload', value: 'go()' }]);
    expect(readTag('<img src="x"onerror="y">')?.attrs).toEqual([
      { name: 'src', value: 'x' },
      { name: 'onerror', value: 'y' },
    ]);
  });

  it('allows whitespace, tabs and newlines around =', () => {
    expect(readTag('<img src=1 onerror\n=\tgo()>')?.attrs[1]).toEqual({ name: 'onerror', value: 'go()' });
  });

  it('still yields the attributes of a tag the value leaves open', () => {
    const tag = readTag('<svg onload=go()//');
    expect(tag?.attrs).toEqual([{ name: 'onload', value: 'go()//' }]);
    expect(tag?.closed).toBe(false);
  });

  it('ends an unclosed quoted value at the next tag instead of swallowing it', () => {
    expect(readTag('<a title="open <b>x</b>')?.attrs).toEqual([{ name: 'title', value: 'open ' }]);
  });

  it('keeps a closed quoted value whole, < and > included', () => {
    expect(readTag('<p title="a<b>c">')?.attrs).toEqual([{ name: 'title', value: 'a<b>c' }]);
  });

  it('reads a bare attribute list as the inside of an open tag', () => {
    const r = new TagReader();
    const s = 'x" onfocus="go()" autofocus>rest';
    r.beginAttributes(s, 2);
    const names: string[] = [];
    while (r.nextAttribute()) names.push(s.slice(r.attrStart, r.attrEnd));
    expect(names).toEqual(['onfocus', 'autofocus']);
    expect(r.closed).toBe(true);
  });
});
