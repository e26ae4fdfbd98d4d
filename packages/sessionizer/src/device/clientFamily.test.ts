import { clientFamily } from './clientFamily';

describe('clientFamily', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36', { browser: 'Chrome', os: 'Windows', type: 'desktop' }],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51', { browser: 'Microsoft Edge', os: 'Windows', type: 'desktop' }],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7; rv:125.0) Gecko/20100101 Firefox/125.0', { browser: 'Firefox', os: 'macOS', type: 'desktop' }],
    ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', { browser: 'Chrome', os: 'Chrome OS', type: 'desktop' }],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', { browser: 'Safari', os: 'iOS', type: 'mobile' }],
    ['Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', { browser: 'Safari', os: 'iOS', type: 'tablet' }],
    ['Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/538.1 (KHTML, like Gecko) Version/6.0 TV Safari/538.1', { browser: 'Tizen', os: 'Tizen', type: 'tv' }],
    // A phone model that ends in "bot" is no crawler.
    ['Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36', { browser: 'Chrome', os: 'Android', type: 'mobile' }],
  ])('parses browser %s', (ua, expected) => {
    expect(clientFamily(ua)).toEqual(expected);
  });

  it.each([
    ['curl/8.5.0', 'curl'],
    ['python-requests/2.31.0', 'python-requests'],
    ['Go-http-client/1.1', 'Go-http-client'],
    ['okhttp/4.12.0', 'okhttp'],
    ['axios/1.6.8', 'axios'],
    ['node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', 'node-fetch'],
    ['node', 'node'],
    ['Java-http-client/17.0.2', 'Java-http-client'],
    ['Apache-HttpClient/4.5.14 (Java/17.0.2)', 'Apache-HttpClient'],
    ['PostmanRuntime/7.37.3', 'PostmanRuntime'],
    ['insomnia/2023.5.8', 'insomnia'],
    ['Wget/1.21.4', 'Wget'],
  ])('calls %s a library', (ua, browser) => {
    expect(clientFamily(ua)).toEqual({ browser, type: 'library' });
  });

  it('keeps the OS a library names', () => {
    expect(clientFamily('Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A.230805.001)')).toEqual({ browser: 'Dalvik', os: 'Android', type: 'library' });
  });

  it.each([
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'Googlebot'],
    ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'BingCrawler'],
    ['Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)', 'AhrefsBot'],
    ['Mozilla/5.0 (compatible;PetalBot;+https://webmaster.petalsearch.com/site/petalbot)', 'PetalBot'],
    ['Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)', 'Bytespider'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)', 'Applebot'],
    ['Twitterbot/1.0', 'Twitterbot'],
    ['Scrapy/2.11.0 (+https://scrapy.org)', 'Scrapy'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36', 'HeadlessChrome'],
  ])('calls %s a bot', (ua, browser) => {
    expect(clientFamily(ua)).toMatchObject({ browser, type: 'bot' });
  });

  it('names an unknown client by its product token, never with a version', () => {
    expect(clientFamily('ShopApp/5.1.2 CFNetwork/1494.0.7 Darwin/23.4.0')).toEqual({ browser: 'ShopApp', type: 'unknown' });
    expect(clientFamily('Mozilla/5.0')).toEqual({ type: 'unknown' });
  });

  it('never throws', () => {
    for (const ua of ['', '   ', '\u0000\u0001\u00ff\uD800', '中文/1.0', 'h:AAAAAAAAAAAAAAAAAAAAAA', '('.repeat(512), 'Mozilla/5.0 ('.repeat(40)]) {
      expect(() => clientFamily(ua)).not.toThrow();
    }
    expect(clientFamily('')).toEqual({ type: 'unknown' });
  });
});
