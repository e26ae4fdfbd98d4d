import { decodeJsEscapes, fold, normalise } from './normalise';
import { decodeHtmlEntities } from './htmlEntities';
import { percentDecode } from './percentDecode';

const opts = { plusIsSpace: false, maxRounds: 4, fold: false };

describe('percentDecode', () => {
  it('decodes %XX as UTF-8, + as space only when asked, and keeps malformed escapes as written', () => {
    expect(percentDecode('a%20b%C3%A9', false).text).toBe('a bé');
    expect(percentDecode('a+b', true).text).toBe('a b');
    expect(percentDecode('a+b', false).text).toBe('a+b');
    expect(percentDecode('100%zz%', false).text).toBe('100%zz%');
    expect(percentDecode('%ff%41', false).text).toBe('\ufffdA');
  });

  it('reads %uXXXX and overlong UTF-8 forms, and says it did', () => {
    const u = percentDecode('%u003cscript%u003e', false);
    expect(u.text).toBe('<script>');
    expect(u.trick).toBe(true);
    const overlong = percentDecode('%c0%ae%c0%ae%c0%af', false);
    expect(overlong.text).toBe('../');
    expect(overlong.trick).toBe(true);
    expect(percentDecode('%e0%80%ae', false).text).toBe('.');
    expect(percentDecode('%2e', false).trick).toBe(false);
  });
});

describe('decodeHtmlEntities and decodeJsEscapes', () => {
  it('reads the legacy references browsers honour with no semicolon and letters after them', () => {
    expect(decodeHtmlEntities('&ltscript&gtalert(1)&lt/script&gt')).toBe('<script>alert(1)</script>');
    expect(decodeHtmlEntities('&quotonmouseover=x')).toBe('"onmouseover=x');
    expect(decodeHtmlEntities('&amplifier &bogus')).toBe('&lifier &bogus');
  });

  it('decodes named, decimal and hex references, with or without the semicolon', () => {
    expect(decodeHtmlEntities('&lt;img src=x onerror=alert&lpar;1&rpar;&gt;')).toBe('<img src=x onerror=alert(1)>');
    expect(decodeHtmlEntities('&#60;&#x3C;&#x3c&#39;')).toBe("<<<'");
    expect(decodeHtmlEntities('Tom &amp; Jerry &unknown;')).toBe('Tom & Jerry &unknown;');
  });

  it('decodes \\uXXXX, \\u{...} and \\xXX', () => {
    expect(decodeJsEscapes('\\u003cb\\u{3e}\\x27')).toBe("<b>'");
  });
});

describe('normalise', () => {
  it('leaves a value without encodings alone, as its only form', () => {
    expect(normalise('hello world', opts)).toEqual({ forms: ['hello world'], layers: 0, tricks: false, bounded: false });
  });

  it('undoes double and triple URL encoding, counting the layers, keeping the raw form first and the one-layer form last', () => {
    const double = normalise('%2527%2520OR%25201%253D1', opts);
    expect(double.forms).toEqual(['%2527%2520OR%25201%253D1', "' OR 1=1", '%27%20OR%201%3D1']);
    expect(double.layers).toBe(2);
    expect(normalise('%252527', opts).layers).toBe(3);
  });

  it('adds the ASCII reading of fullwidth forms, as best-fit servers read them, without calling it a trick', () => {
    const n = normalise('＜script＞alert(1)＜/script＞', opts);
    expect(n.forms).toContain('<script>alert(1)</script>');
    expect(n.tricks).toBe(false);
    expect(normalise('%uff1cscript%uff1e', opts).forms).toContain('<script>');
    expect(normalise('東京（本社）', opts).forms).toEqual(['東京（本社）', '東京(本社)']);
  });

  it('peels nested layers of different encodings', () => {
    // URL-encoded HTML entities of a JS escape.
    const n = normalise('%26lt%3Bscript%26gt%3B\\u0061lert(1)', opts);
    expect(n.forms[n.forms.length - 1]).toBe('<script>alert(1)');
    expect(n.layers).toBe(1);
    expect(normalise('&amp;lt;script&amp;gt;', opts).forms[1]).toBe('<script>');
  });

  it('removes NUL bytes, raw or encoded, as a trick', () => {
    const n = normalise('<scr%00ipt>', opts);
    expect(n.forms[1]).toBe('<script>');
    expect(n.tricks).toBe(true);
  });

  it('applies + as space in the first layer only when the value travels as a form', () => {
    expect(normalise('a+OR+1%3D1', { ...opts, plusIsSpace: true }).forms[1]).toBe('a OR 1=1');
    expect(normalise('a+b', opts).forms).toEqual(['a+b']);
  });

  it('stops after maxRounds and says so', () => {
    let v = '<';
    for (let i = 0; i < 6; i++) v = encodeURIComponent(v);
    const n = normalise(v, { ...opts, maxRounds: 3 });
    expect(n.layers).toBe(3);
    expect(n.bounded).toBe(true);
    expect(n.forms).toHaveLength(3);
  });

  it('costs one pass per round on a hostile value', () => {
    const n = normalise('%25'.repeat(20_000), opts);
    expect(n.layers).toBeLessThanOrEqual(4);
  });

  it('adds a folded form when asked: comments, shell quoting and whitespace runs', () => {
    expect(fold('1/**/OR/**/1=1')).toBe('1 OR 1=1');
    expect(fold("c''at${IFS}/et\\c/pa\"\"sswd")).toBe('cat /etc/passwd');
    expect(fold('a\t\n\u00a0 b/./c')).toBe('a b/c');
    expect(normalise('1/**/OR/**/1=1', { ...opts, fold: true }).forms).toEqual(['1/**/OR/**/1=1', '1 OR 1=1']);
  });
});

describe('normalise: what the application reads', () => {
  it('keeps the one-layer form when deeper layers change it, so an internal URL with %0D%0A in its path stays a URL', () => {
    const n = normalise('http%3A%2F%2F127.0.0.1%3A6379%2F%250D%250ACONFIG', opts);
    expect(n.forms).toContain('http://127.0.0.1:6379/%0D%0ACONFIG');
    expect(n.forms).toContain('http://127.0.0.1:6379/\r\nCONFIG');
  });
});

describe('normalise: XML character data', () => {
  it('unwraps CDATA sections, which XML hands on as plain text', () => {
    const n = normalise('<![CDATA[<]]>SCRIPT<![CDATA[>]]>alert(1)<![CDATA[<]]>/SCRIPT<![CDATA[>]]>', opts);
    expect(n.forms).toContain('<SCRIPT>alert(1)</SCRIPT>');
    expect(normalise('a<![CDATA[b]]>c<![CDATA[d', opts).forms).toContain('abc<![CDATA[d');
  });

  it('leaves a value of CDATA openers with no closer as it is', () => {
    const hostile = '<![CDATA['.repeat(20_000);
    expect(normalise(hostile, opts).forms).toEqual([hostile]);
  });
});
