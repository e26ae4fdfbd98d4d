import type { Event } from '@sidetap/core';
import { event } from '../testEvents';
import { extractRequestParts } from './requestParts';
import { requestPartsConfigSchema } from './requestPartsConfig';
import { detectNosqlInjection } from './nosqlInjection/nosqlInjectionDetector';

const config = requestPartsConfigSchema.parse({});

function request(build: (e: Event) => void): Event {
  const e = event({ id: 'e1', at: 0, method: 'POST', path: '/api/v1/items/42' });
  build(e);
  return e;
}

const summary = (e: Event, c = config) =>
  extractRequestParts(e, c).parts.map((p) => `${p.location}${p.key ? '#key' : ''}${p.document ? '#doc' : ''} ${p.name}=${p.value}`);

describe('extractRequestParts', () => {
  it('names path segments by index and keeps the whole path as a document', () => {
    const parts = summary(request((e) => (e.url.path = '/api/v1/files/..%2f..%2fetc')));
    expect(parts).toEqual(['path#doc path=/api/v1/files/..%2f..%2fetc', 'path 1=api', 'path 2=v1', 'path 3=files', 'path 4=..%2f..%2fetc']);
  });

  it('reads query values as sent, and odd parameter names as parts of their own', () => {
    const parts = summary(request((e) => (e.url.query = "q=%27+OR+1&page=2&flag&a'%20or%201=x")));
    expect(parts).toContain("query q=%27+OR+1");
    expect(parts).toContain('query page=2');
    expect(parts).toContain("query#key a' or 1=a'%20or%201");
    expect(parts).toContain("query a' or 1=x");
    expect(parts.some((p) => p.startsWith('query flag'))).toBe(false);
  });

  it('reads form fields, JSON leaves by JSONPath (with odd keys), multipart fields and file names, XML text and attributes', () => {
    const form = summary(request((e) => {
      e.http.request.mime_type = 'application/x-www-form-urlencoded';
      e.http.request.body.content = 'user=bob&comment=hi%3Cb%3E';
    }));
    expect(form).toEqual(expect.arrayContaining(['form user=bob', 'form comment=hi%3Cb%3E']));

    const json = summary(request((e) => {
      e.http.request.mime_type = 'application/json';
      e.http.request.body.content = JSON.stringify({ items: [{ name: 'a' }, { name: 'b c' }], user: { $ne: null }, 'odd key': 1, n: 3 });
    }));
    expect(json).toEqual(expect.arrayContaining(['json $.items[0].name=a', 'json $.items[1].name=b c', 'json#key $.user.$ne={"$ne":null}', 'json $.user.$ne=null', "json#key $['odd key']=odd key", 'json $.n=3']));

    const multipart = summary(request((e) => {
      e.http.request.mime_type = 'multipart/form-data';
      e.http.request.body.content = [
        '--XyZ',
        'Content-Disposition: form-data; name="title"',
        '',
        "x' OR 1=1--",
        '--XyZ',
        'Content-Disposition: form-data; name="file"; filename="../../shell.php"',
        'Content-Type: application/octet-stream',
        '',
        '\u0000\u0001binary',
        '--XyZ--',
        '',
      ].join('\r\n');
    }));
    expect(multipart).toEqual(expect.arrayContaining(["multipart title=x' OR 1=1--", 'multipart file#filename=../../shell.php']));
    expect(multipart.some((p) => p.includes('binary'))).toBe(false);

    const xml = summary(request((e) => {
      e.http.request.mime_type = 'application/xml';
      e.http.request.body.content = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><order id="7"><note>&lt;b&gt;hi</note><![CDATA[<script>]]></order>';
    }));
    expect(xml.find((p) => p.startsWith('xml#doc'))).toMatch(/^xml#doc document=<\?xml/);
    expect(xml).toEqual(expect.arrayContaining(['xml /order/@id=7', 'xml /order/note=<b>hi', 'xml /order=<script>']));
  });

  it('reads header values and kept cookie values, never hashed secrets or ignored headers', () => {
    const parts = summary(request((e) => {
      e.http.request.headers = {
        'user-agent': 'curl/8.0',
        authorization: 'Bearer h:AAAAAAAAAAAAAAAAAAAAAA',
        'content-length': '12',
        cookie: 'sid=h:BBBBBBBBBBBBBBBBBBBBBB; theme=dark; pref=%27%20or%201',
      };
    }));
    expect(parts).toEqual(expect.arrayContaining(['header user-agent=curl/8.0', 'cookie theme=dark', 'cookie pref=%27%20or%201']));
    expect(parts.join(' ')).not.toMatch(/h:[AB]{22}|content-length|authorization|sid/);
  });

  it('stops at maxParts and maxBytes and says the request was capped', () => {
    const many = request((e) => (e.url.query = Array.from({ length: 50 }, (_, i) => `p${i}=v`).join('&')));
    const few = requestPartsConfigSchema.parse({ maxParts: 10 });
    const r = extractRequestParts(many, few);
    expect(r.parts).toHaveLength(10);
    expect(r.capped).toBe(true);
    expect(extractRequestParts(many, config).capped).toBe(false);

    const long = request((e) => (e.url.query = `q=${'a'.repeat(5000)}&r=x`));
    const small = extractRequestParts(long, requestPartsConfigSchema.parse({ maxBytes: 1024 }));
    expect(small.capped).toBe(true);
    expect(small.parts.reduce((n, p) => n + p.value.length, 0)).toBe(1024);
  });

  it('flags a body too big to parse, and a JSON walk cut at its bounds', () => {
    const big = request((e) => {
      e.http.request.mime_type = 'application/json';
      e.http.request.body.content = JSON.stringify({ a: 'x'.repeat(2000) });
    });
    expect(extractRequestParts(big, requestPartsConfigSchema.parse({ maxBodyBytes: 1000 })).capped).toBe(true);
    const deep = request((e) => {
      e.http.request.mime_type = 'application/json';
      e.http.request.body.content = '['.repeat(100) + '1' + ']'.repeat(100);
    });
    expect(extractRequestParts(deep, config).capped).toBe(true);
  });

  it('never throws on hostile bodies, and salvages the strings of JSON that does not parse', () => {
    const broken = request((e) => {
      e.http.request.mime_type = 'application/json';
      e.http.request.body.content = '{"name": "x\' OR 1=1--", "tags": ["a", ';
    });
    expect(summary(broken)).toEqual(expect.arrayContaining(["json $..name=x' OR 1=1--", 'json $..tags=a']));
    for (const content of ['['.repeat(200_000), '<'.repeat(10_000), '--x\r\n'.repeat(1000), '{"\\ud800": "\\u0000"}', '<a b="', '<!DOCTYPE [']) {
      for (const mime of ['application/json', 'application/xml', 'multipart/form-data', 'application/x-www-form-urlencoded']) {
        expect(() => extractRequestParts(request((e) => { e.http.request.mime_type = mime; e.http.request.body.content = content; }), config)).not.toThrow();
      }
    }
  });
});

describe('operator keys in JSON', () => {
  it('shows a $-key to the engines as the object member it is, so NoSQL operators in bodies are judged', () => {
    const e = request((r) => {
      r.http.request.mime_type = 'application/json';
      r.http.request.body = { bytes: 40, content: '{"user":"ann","password":{"$ne":null}}' };
    });
    const key = extractRequestParts(e, config).parts.find((p) => p.key === true)!;
    expect(key.name).toBe('$.password.$ne');
    expect(detectNosqlInjection(key.value)?.fingerprint).toMatch(/^nosql:key/);
  });
});
