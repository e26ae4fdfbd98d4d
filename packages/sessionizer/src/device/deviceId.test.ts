import { createHash } from 'node:crypto';
import { Counters } from '@sidetap/core';
import { createDeviceFingerprinter } from './deviceFingerprinter';
import { deviceConfigSchema } from './deviceConfig';
import { DEVICE_ID_VERSION, deviceId, normaliseAcceptLanguage } from './deviceId';

// Ids are stored with events and compared across versions: if one of these changes, the recipe
// changed. Do not update the expected ids; bump DEVICE_ID_VERSION and say why in the change.
describe('device id recipe', () => {
  it('is the documented hash', () => {
    const canonical = JSON.stringify(['sidetap-device/1', 'Chrome', 'Windows', 'desktop', ['host', 'user-agent', 'accept', 'accept-language'], 'en-us,en;q=0.9']);
    const expected = createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 16);
    const id = deviceId({ browser: 'Chrome', os: 'Windows', type: 'desktop', names: ['host', 'user-agent', 'accept', 'accept-language'], acceptLanguage: 'en-US,en;q=0.9' });
    expect(id).toBe(expected);
    // The same in Python: hashlib.sha256(json.dumps([...], separators=(',', ':'), ensure_ascii=False).encode()).hexdigest()[:16]
    expect(id).toBe('138097f179e55d0a');
  });

  it('is pinned', () => {
    expect(DEVICE_ID_VERSION).toBe(1);
    expect(deviceId({ type: 'unknown', names: [], acceptLanguage: undefined })).toBe('fe910fa092f14b2e');
    expect(deviceId({ browser: 'curl', type: 'library', names: ['host', 'user-agent', 'accept'], acceptLanguage: undefined })).toBe('149428a5a6c41ad5');
  });

  it('is pinned end to end, User-Agent parsing and header lists included', () => {
    // A bowser upgrade that renames a family, or a change to the header lists, shows up here.
    const fingerprinter = createDeviceFingerprinter(deviceConfigSchema.parse({}), { counters: new Counters() });
    const cases: [Record<string, string>, unknown][] = [
      [
        { host: 'api.example.com', 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36', accept: '*/*', 'x-forwarded-for': '203.0.113.7', 'accept-language': 'en-US,en;q=0.9', 'content-length': '0' },
        { id: '138097f179e55d0a', browser: 'Chrome', os: 'Windows', type: 'desktop' },
      ],
      [
        { host: 'api.example.com', 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', accept: '*/*', 'accept-language': 'de-DE' },
        { id: 'dedb2e5dd0a3f319', browser: 'Safari', os: 'iOS', type: 'mobile' },
      ],
      [{ host: 'api.example.com', 'user-agent': 'curl/8.5.0', accept: '*/*' }, { id: '149428a5a6c41ad5', browser: 'curl', type: 'library' }],
      [
        { host: 'example.com', 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', accept: '*/*' },
        { id: 'b1ca8d65c54c76a3', browser: 'Googlebot', type: 'bot' },
      ],
      [{ host: 'api.example.com', accept: 'application/json' }, { id: 'c8bb387f90a9d0f7', type: 'unknown' }],
    ];
    for (const [headers, expected] of cases) expect(fingerprinter.fingerprint(headers)).toEqual(expected);
  });
});

describe('normaliseAcceptLanguage', () => {
  it('lower-cases and drops whitespace and control characters', () => {
    expect(normaliseAcceptLanguage(' EN-us,\ten;q=0.9\r\n')).toBe('en-us,en;q=0.9');
    expect(normaliseAcceptLanguage('fr\u0000-CH,\u00A0fr')).toBe('fr-ch,fr');
    expect(normaliseAcceptLanguage(undefined)).toBe('');
  });

  it('keeps the order of preference', () => {
    expect(normaliseAcceptLanguage('de,en')).not.toBe(normaliseAcceptLanguage('en,de'));
  });
});
