import { createRedactor } from '@sidetap/core';
import { hostName, redactUrl, urlParts } from './urlParts';

describe('urlParts', () => {
  it('splits origin-form targets', () => {
    expect(urlParts('/p/q?x=1&y', 'Example.com:80')).toEqual({ original: '/p/q?x=1&y', path: '/p/q', query: 'x=1&y', domain: 'Example.com' });
    expect(urlParts('/p', undefined)).toEqual({ original: '/p', path: '/p' });
    expect(urlParts('/p?', 'h')).toEqual({ original: '/p?', path: '/p', query: '', domain: 'h' });
  });
  it('takes path and, without Host, the domain from absolute-form', () => {
    expect(urlParts('http://user@api.test:8080/v1?k=v', undefined)).toEqual({ original: 'http://user@api.test:8080/v1?k=v', path: '/v1', query: 'k=v', domain: 'api.test' });
    // RFC 9112 §3.2.2: the host of an absolute-form target wins over Host.
    expect(urlParts('https://a.test?x', 'b.test').domain).toBe('a.test');
  });
  it('takes the first of several Host values', () => {
    expect(urlParts('/', 'a.test:80, b.test').domain).toBe('a.test');
  });
  it('handles authority and asterisk forms', () => {
    expect(urlParts('db.test:443', undefined)).toEqual({ original: 'db.test:443', path: '', domain: 'db.test' });
    expect(urlParts('*', 'h')).toEqual({ original: '*', path: '*', domain: 'h' });
  });
  it('keeps IPv6 literal brackets and drops ports', () => {
    expect(hostName('[2001:db8::1]:8443')).toBe('[2001:db8::1]');
    expect(hostName('[::1]')).toBe('[::1]');
    expect(hostName('10.0.0.1:80')).toBe('10.0.0.1');
    expect(hostName('  ')).toBeUndefined();
  });
});

describe('redactUrl', () => {
  const redactor = createRedactor({ key: Buffer.alloc(32, 3) });

  it('hashes secret-named query parameters in url.query and url.original, keeping the rest', () => {
    const url = redactUrl(urlParts('/cb?code=1&access_token=tok123&page=2', 'a'), redactor);
    expect(url.query).toBe(`code=1&access_token=${redactor.hash('tok123')}&page=2`);
    expect(url.original).toBe(`/cb?${url.query}`);
    expect(url.path).toBe('/cb');
    expect(JSON.stringify(url)).not.toContain('tok123');
  });

  it('hashes the password of userinfo in an absolute-form target, keeping the user name', () => {
    const url = redactUrl(urlParts('http://alice:s3cret@api.test:8080/a?x=1', undefined), redactor);
    expect(url.original).toBe(`http://alice:${redactor.hash('s3cret')}@api.test:8080/a?x=1`);
    expect(url.domain).toBe('api.test');
    expect(redactUrl(urlParts('http://tok123@api.test/', undefined), redactor).original).toBe(`http://${redactor.hash('tok123')}@api.test/`);
    expect(redactUrl(urlParts('/a?x=1', 'api.test'), redactor).original).toBe('/a?x=1');
  });

  it('leaves queries without secrets untouched', () => {
    const url = urlParts('/search?q=shipping&page=2', 'a');
    expect(redactUrl({ ...url }, redactor)).toEqual(url);
  });
});
