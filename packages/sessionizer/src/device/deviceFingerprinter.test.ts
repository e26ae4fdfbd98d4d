import { Counters } from '@sidetap/core';
import { createDeviceFingerprinter, DEVICE_COUNTERS } from './deviceFingerprinter';
import { deviceConfigSchema } from './deviceConfig';
import type { DeviceConfig } from './deviceConfig';
import type { DeviceFingerprint } from './deviceFingerprint';

const CHROME_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36';
const FIREFOX_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0';
const CHROME_ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Mobile Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** A Chrome fetch() as it reaches the mirror: browser headers, then what the proxies added. */
function chromeRequest(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    host: 'api.example.com',
    connection: 'keep-alive',
    'sec-ch-ua-platform': '"Windows"',
    authorization: 'Bearer h:AAAAAAAAAAAAAAAAAAAAAA',
    'user-agent': CHROME_WIN,
    'sec-ch-ua-mobile': '?0',
    accept: 'application/json',
    'sec-fetch-site': 'same-site',
    'sec-fetch-mode': 'cors',
    'sec-fetch-dest': 'empty',
    'accept-encoding': 'gzip, deflate, br, zstd',
    'accept-language': 'en-US,en;q=0.9',
    priority: 'u=1, i',
    'x-forwarded-for': '203.0.113.7',
    'x-request-id': 'req-1',
    ...overrides,
  };
}

function setup(config: Partial<DeviceConfig> = {}) {
  const counters = new Counters();
  const fingerprinter = createDeviceFingerprinter(deviceConfigSchema.parse(config), { counters });
  const fp = (headers: Record<string, string>): DeviceFingerprint => {
    const result = fingerprinter.fingerprint(headers);
    if (result === undefined) throw new Error('expected a fingerprint');
    return result;
  };
  return { counters, fingerprinter, fp };
}

/** The same headers with one name moved to another position. */
function moved(headers: Record<string, string>, name: string, to: number): Record<string, string> {
  const entries = Object.entries(headers).filter(([n]) => n !== name);
  entries.splice(to, 0, [name, headers[name] ?? '']);
  return Object.fromEntries(entries);
}

describe('device fingerprints', () => {
  it('describes a desktop browser by family, without versions', () => {
    const { fp } = setup();
    const device = fp(chromeRequest());
    expect(device).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/), browser: 'Chrome', os: 'Windows', type: 'desktop' });
  });

  it('keeps the id across minor and major updates of the browser', () => {
    const { fp } = setup();
    const id = fp(chromeRequest()).id;
    expect(fp(chromeRequest({ 'user-agent': CHROME_WIN.replace('124.0.6367.91', '124.0.6367.208') })).id).toBe(id);
    expect(fp(chromeRequest({ 'user-agent': CHROME_WIN.replace('124.0.6367.91', '125.0.6422.60') })).id).toBe(id);
  });

  it('tells browsers, device types and clients apart', () => {
    const { fp } = setup();
    const chrome = fp(chromeRequest());
    const firefox = fp(chromeRequest({ 'user-agent': FIREFOX_WIN }));
    const mobile = fp(chromeRequest({ 'user-agent': CHROME_ANDROID }));
    expect(firefox).toMatchObject({ browser: 'Firefox', os: 'Windows', type: 'desktop' });
    expect(mobile).toMatchObject({ browser: 'Chrome', os: 'Android', type: 'mobile' });
    expect(new Set([chrome.id, firefox.id, mobile.id]).size).toBe(3);
  });

  it('calls HTTP libraries and CLIs libraries, by family', () => {
    const { fp } = setup();
    const curl = fp({ host: 'api.example.com', 'user-agent': 'curl/8.5.0', accept: '*/*' });
    const requests = fp({ host: 'api.example.com', 'user-agent': 'python-requests/2.31.0', 'accept-encoding': 'gzip, deflate', accept: '*/*', connection: 'keep-alive' });
    expect(curl).toMatchObject({ browser: 'curl', type: 'library' });
    expect(requests).toMatchObject({ browser: 'python-requests', type: 'library' });
    expect(curl.os).toBeUndefined();
    expect(fp({ host: 'api.example.com', 'user-agent': 'curl/7.81.0', accept: '*/*' }).id).toBe(curl.id);
  });

  it('calls crawlers bots', () => {
    const { fp } = setup();
    expect(fp({ host: 'example.com', 'user-agent': GOOGLEBOT, accept: '*/*' })).toMatchObject({ browser: 'Googlebot', type: 'bot' });
  });

  it('changes the id when the header order changes', () => {
    const { fp } = setup();
    const base = chromeRequest();
    expect(fp(moved(base, 'authorization', 0)).id).not.toBe(fp(base).id);
    expect(fp(moved(base, 'accept', 1)).id).not.toBe(fp(base).id);
  });

  it('ignores headers proxies add, wherever they land', () => {
    const { fp } = setup();
    const id = fp(chromeRequest()).id;
    const { 'x-forwarded-for': _xff, 'x-request-id': _rid, ...direct } = chromeRequest();
    expect(fp(direct).id).toBe(id);
    const proxied = moved(moved({ ...chromeRequest(), via: '1.1 edge', traceparent: '00-1-2-01', 'x-forwarded-proto': 'https' }, 'via', 0), 'traceparent', 3);
    expect(fp(proxied).id).toBe(id);
  });

  it('takes the ignored list from config, prefixes included', () => {
    const { fp } = setup({ ignoreHeaders: ['X-Edge-*', 'x-hop'] });
    const id = fp(chromeRequest()).id;
    expect(fp({ 'x-edge-pop': 'fra', ...chromeRequest(), 'x-edge-ttl': '3', 'x-hop': '2' }).id).toBe(id);
    // The defaults are replaced, not extended: x-forwarded-for now counts.
    const { 'x-forwarded-for': _xff, ...direct } = chromeRequest();
    expect(fp(direct).id).not.toBe(id);
  });

  it('ignores headers that follow the request rather than the client', () => {
    const { fp } = setup();
    const get = chromeRequest();
    const post = moved(
      { ...chromeRequest(), 'content-length': '42', 'content-type': 'application/json', origin: 'https://app.example.com', referer: 'https://app.example.com/', cookie: 'consent=h:BBBBBBBBBBBBBBBBBBBBBB', 'if-none-match': '"x"' },
      'content-length',
      2,
    );
    expect(fp(post).id).toBe(fp(get).id);
  });

  it('changes the id with Accept-Language, but not with its case or spacing', () => {
    const { fp } = setup();
    const id = fp(chromeRequest()).id;
    expect(fp(chromeRequest({ 'accept-language': 'de-DE,de;q=0.9' })).id).not.toBe(id);
    expect(fp(chromeRequest({ 'accept-language': ' EN-us, en; q=0.9 ' })).id).toBe(id);
  });

  it('never lets a secret header value change the id', () => {
    const { fp } = setup();
    const a = fp(chromeRequest({ authorization: 'Bearer h:AAAAAAAAAAAAAAAAAAAAAA', 'x-api-key': 'h:CCCCCCCCCCCCCCCCCCCCCC' }));
    const b = fp(chromeRequest({ authorization: 'Bearer h:ZZZZZZZZZZZZZZZZZZZZZZ', 'x-api-key': 'h:DDDDDDDDDDDDDDDDDDDDDD' }));
    const raw = fp(chromeRequest({ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'sk_live_123' }));
    expect(b.id).toBe(a.id);
    expect(raw.id).toBe(a.id);
  });

  it('fingerprints a request without a User-Agent from its headers, type unknown', () => {
    const { fp } = setup();
    const device = fp({ host: 'api.example.com', accept: '*/*', 'x-client': 'svc' });
    expect(device).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/), type: 'unknown' });
    expect(fp({ host: 'api.example.com', 'x-client': 'svc', accept: '*/*' }).id).not.toBe(device.id);
    expect(fp({ host: 'api.example.com', 'user-agent': '', accept: '*/*', 'x-client': 'svc' })).toMatchObject({ type: 'unknown' });
  });

  it('has nothing to say about a request with no headers, or only proxy headers', () => {
    const { fingerprinter, counters } = setup();
    expect(fingerprinter.fingerprint({})).toBeUndefined();
    expect(fingerprinter.fingerprint({ 'x-forwarded-for': '203.0.113.7', via: '1.1 lb', 'content-length': '0' })).toBeUndefined();
    expect(counters.get(DEVICE_COUNTERS.fingerprinted)).toBe(0);
  });

  it('names an unknown client by its product token, without version', () => {
    const { fp } = setup();
    const app = fp({ host: 'api.example.com', 'user-agent': 'ShopApp/5.1.2 CFNetwork/1494.0.7 Darwin/23.4.0', accept: '*/*' });
    expect(app).toMatchObject({ browser: 'ShopApp', type: 'unknown' });
    expect(fp({ host: 'api.example.com', 'user-agent': 'ShopApp/5.2.0 CFNetwork/1494.0.7 Darwin/23.4.0', accept: '*/*' }).id).toBe(app.id);
  });

  it('gives the same id whatever the cache holds, and shares frozen results', () => {
    const { fp } = setup();
    const { fp: uncached, counters } = setup({ cacheSize: 0 });
    const first = fp(chromeRequest());
    expect(fp(chromeRequest())).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(uncached(chromeRequest())).toEqual(first);
    expect(uncached(chromeRequest())).toEqual(first);
    expect(counters.get(DEVICE_COUNTERS.cacheMisses)).toBe(2);
    expect(counters.get(DEVICE_COUNTERS.cacheHits)).toBe(0);
  });

  it('counts fingerprints, cache hits, misses and evictions', () => {
    const { fp, counters } = setup({ cacheSize: 2 });
    const a = chromeRequest();
    const b = chromeRequest({ 'user-agent': FIREFOX_WIN });
    const c = chromeRequest({ 'user-agent': CHROME_ANDROID });
    fp(a); // miss
    fp(a); // hit
    fp(b); // miss
    fp(a); // hit: a is now the most recent
    fp(c); // miss, evicts b
    fp(a); // hit
    fp(b); // miss, evicts c
    expect(counters.snapshot()).toEqual({
      [DEVICE_COUNTERS.fingerprinted]: 7,
      [DEVICE_COUNTERS.cacheHits]: 3,
      [DEVICE_COUNTERS.cacheMisses]: 4,
      [DEVICE_COUNTERS.cacheEvicted]: 2,
    });
  });

  it('returns nothing and counts nothing when disabled', () => {
    const { fingerprinter, counters } = setup({ enabled: false });
    expect(fingerprinter.fingerprint(chromeRequest())).toBeUndefined();
    expect(counters.snapshot()).toEqual({});
  });
});

describe('device fingerprints of hostile requests', () => {
  it('bounds a 64 KiB User-Agent, and counts the cut', () => {
    const { fp, counters } = setup();
    const huge = CHROME_WIN + ' ' + 'A'.repeat(64 * 1024);
    const device = fp(chromeRequest({ 'user-agent': huge }));
    expect(device).toMatchObject({ browser: 'Chrome', type: 'desktop' });
    // Past the first 512 characters nothing counts, not even for the cache key.
    expect(fp(chromeRequest({ 'user-agent': huge + 'B' }))).toBe(device);
    expect(counters.get(DEVICE_COUNTERS.cacheHits)).toBe(1);
    expect(counters.get(DEVICE_COUNTERS.inputsTruncated)).toBe(2);
  });

  it('never throws on control characters, unicode, odd names or values', () => {
    const { fingerprinter } = setup();
    const odd: Record<string, string> = {
      'user-agent': '\u0000\u0007Mozilla/5.0 (\uD800; \u202E) \uFFFF 中文/1.0\r\n',
      'accept-language': '\u0000\t\u00A0zh-CN,\u2028 ZH',
      'x-\u0000': '1',
      'x\ny': '2',
      '': '3',
      '123': '4',
      constructor: '5',
    };
    Object.defineProperty(odd, '__proto__', { value: '6', enumerable: true, writable: true, configurable: true });
    expect(() => fingerprinter.fingerprint(odd)).not.toThrow();
    expect(fingerprinter.fingerprint(odd)?.id).toMatch(/^[0-9a-f]{16}$/);
    // A record decoded elsewhere may break the string promise.
    const broken = { 'user-agent': 42, 'accept-language': null, host: 'x' } as unknown as Record<string, string>;
    expect(fingerprinter.fingerprint(broken)).toMatchObject({ type: 'unknown' });
  });

  it('keeps names apart however they are spelled', () => {
    const { fp } = setup();
    // With a separator-joined key these two would collide; length prefixes and codes keep them apart.
    expect(fp({ 'a\nb': '1', c: '1' }).id).not.toBe(fp({ a: '1', 'b\nc': '1' }).id);
    expect(fp({ 'user-agent': 'x', 'accept-language': 'y' }).id).not.toBe(fp({ 'user-agent': 'x-', 'accept-language': '' }).id);
  });

  it('bounds thousands of headers and very long names', () => {
    const { fp, counters } = setup();
    const many: Record<string, string> = { 'user-agent': 'curl/8.5.0' };
    for (let i = 0; i < 10_000; i++) many[`x-h${i}`] = 'v';
    const device = fp(many);
    expect(device).toMatchObject({ browser: 'curl', type: 'library' });
    // Headers past the 48th do not count.
    expect(fp({ ...many, 'x-late': 'v' }).id).toBe(device.id);
    const longName = 'x-' + 'n'.repeat(10_000);
    expect(fp({ host: 'h', [longName + 'a']: '1' }).id).toBe(fp({ host: 'h', [longName + 'b']: '1' }).id);
    expect(counters.get(DEVICE_COUNTERS.inputsTruncated)).toBe(4);
  });

  it('gives a name the same id after the name-code table is full', () => {
    const { fp } = setup({ cacheSize: 0 });
    const request = { host: 'h', 'user-agent': 'curl/8.5.0', 'x-late-name': '1' };
    const flood: Record<string, string> = {};
    for (let i = 0; i < 17_000; i++) flood[`x-made-up-${i}`] = '1';
    fp(flood);
    expect(fp(request).id).toBe(setup().fp(request).id);
  });
});
