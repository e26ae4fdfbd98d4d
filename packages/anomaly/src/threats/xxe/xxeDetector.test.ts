import { readDtd } from './dtdReader';
import { detectXxe } from './xxeDetector';

describe('readDtd', () => {
  it('reads the doctype and entity declarations leniently', () => {
    const s = '<!doctype Foo [<!EnTiTy % p SyStEm \'http://x/a.dtd\'> %p; <!ENTITY e "v">]><Foo/>';
    const dtd = readDtd(s, s.toLowerCase());
    expect(dtd.doctype?.root).toBe('Foo');
    expect(dtd.doctype?.hasSubset).toBe(true);
    expect(dtd.entities.map((e) => [e.name, e.parameter, e.external, e.uri || e.literal])).toEqual([
      ['p', true, true, 'http://x/a.dtd'],
      ['e', false, false, 'v'],
    ]);
    expect(dtd.peReferences).toBe(1);
  });
});

describe('detectXxe', () => {
  it.each([
    ['<!DOCTYPE f [<!ENTITY x SYSTEM "file:///etc/passwd">]><f>&x;</f>', 'xxe:external-entity+file'],
    ['<!DOCTYPE f [<!ENTITY % d SYSTEM "http://a.example/e.dtd"> %d;]><f/>', 'xxe:external-parameter-entity+http'],
    ['<!DOCTYPE l [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;">]><l>&b;</l>', 'xxe:entity-expansion'],
    ['<!DOCTYPE f SYSTEM "http://a.example/e.dtd"><f/>', 'xxe:external-dtd+http'],
    ['<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></r>', 'xxe:xinclude+file'],
    ['<xsl:value-of select="document(\'/etc/passwd\')"/>', 'xxe:xpath-document'],
    ['<!DOCTYPE f [<!ENTITY t "probe">]><f>&t;</f>', 'xxe:internal-entity'],
  ])('%s is %s', (value, fingerprint) => {
    expect(detectXxe(value)?.fingerprint).toBe(fingerprint);
  });

  it('reads a document that hides its markup in UTF-7', () => {
    const doc = '<?xml version="1.0" encoding="UTF-7"?>\n+ADwAIQ-DOCTYPE r +AFsAPAAh-ENTITY x SYSTEM +ACI-file:///etc/passwd+ACIAPgBdAD4APA-r+AD4AJg-x+ADsAPA-/r+AD4-';
    const m = detectXxe(doc);
    expect(m?.fingerprint).toBe('utf7+xxe:external-entity+file');
    expect(m?.reason).toContain('hidden in UTF-7');
    expect(detectXxe('<?xml version="1.0" encoding="UTF-7"?>\n+ADw-r+AD4-hello+ADw-/r+AD4-')).toBeUndefined();
  });

  it('weighs an internal-entity probe below an external entity', () => {
    expect(detectXxe('<!DOCTYPE f [<!ENTITY t "probe">]><f>&t;</f>')!.confidence).toBeLessThan(0.6);
    expect(detectXxe('<!DOCTYPE f [<!ENTITY t SYSTEM "file:///x">]><f>&t;</f>')!.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    '<!DOCTYPE html><html></html>',
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>',
    '<rss version="2.0"><channel><title>x</title></channel></rss>',
    '<xsl:include href="common.xsl"/>',
    'document.getElementById("x")',
    'Entities like &amp; must be escaped',
  ])('leaves %s alone', (value) => {
    expect(detectXxe(value)).toBeUndefined();
  });
});
