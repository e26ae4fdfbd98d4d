import { createRedactor } from './redaction';

const redactor = createRedactor({ key: Buffer.alloc(32, 7), extraHeaders: ['X-Session-Token'] });

describe('redactor', () => {
  it('hashes the same secret to the same opaque value, and different secrets apart', () => {
    expect(redactor.hash('abc')).toBe(redactor.hash('abc'));
    expect(redactor.hash('abc')).not.toBe(redactor.hash('abd'));
    expect(redactor.hash('abc')).toMatch(/^h:[A-Za-z0-9_-]{22}$/);
  });

  it('keeps the scheme of Authorization and hides the credentials', () => {
    const out = redactor.redactHeader('authorization', 'Bearer eyJabc.def.ghi');
    expect(out.startsWith('Bearer h:')).toBe(true);
    expect(out).not.toContain('eyJ');
  });

  it('keeps cookie names and attributes, hides credential values', () => {
    expect(redactor.redactHeader('cookie', 'sid=s3cret; theme=dark')).toMatch(/^sid=h:\S+; theme=dark$/);
    const set = redactor.redactHeader('set-cookie', 'sid=s3cret; Path=/; HttpOnly');
    expect(set).toMatch(/^sid=h:\S+; Path=\/; HttpOnly$/);
    expect(set).not.toContain('s3cret');
    // Set-Cookie values are hashed whatever they look like: the issuing side is never inspected.
    expect(redactor.redactHeader('set-cookie', 'theme=dark; Path=/')).toMatch(/^theme=h:\S+; Path=\/$/);
  });

  it('hashes cookies whose name says credential, whatever the value', () => {
    for (const name of ['session', 'PHPSESSID', 'JSESSIONID', 'connect.sid', 'auth', 'access_token', 'jwt', 'api_key', 'csrftoken', 'XSRF-TOKEN', 'remember_me', 'login', 'user_id', 'visitorId', 'id', '__Host-prefs', '__Secure-x']) {
      const out = redactor.redactHeader('cookie', `${name}=dark`);
      expect(out).toBe(`${name}=${redactor.hash('dark')}`);
    }
  });

  it('hashes token-like values under any name: JWTs, long or mixed letter-and-digit strings, tokens inside text', () => {
    const secrets = [
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
      '3f9a7c2e1b8d4f6a9c0e2b4d6f8a1c3e',
      's%3AAbC123dEf456.GhI789',
      'Zm9vYmFyYmF6cXV4cXV1eA==',
      'a1b2c3d4e5',
      'abcdefghijklmnop',
      '1700000000123456',
      '{"t":"a8f3k2j4h5g6d7s8a9p0q1w2"}',
      'Bearer 9f8e7d6c5b4a39281706f5e4',
    ];
    for (const v of secrets) expect(redactor.redactHeader('cookie', `pref=${v}`)).toBe(`pref=${redactor.hash(v)}`);
  });

  it('keeps ordinary cookie values and values that plainly are not tokens, so injections stay visible', () => {
    const kept = ['dark', 'en-US', '1', 'true', 'USD', 'grid', '1700000000', "' OR 1=1--", '%27%20OR%201%3D1--', '<script>alert(1)</script>', '../../../../etc/passwd', '${jndi:ldap://x.example/a}', '{"cart":[1,2]}', 'a b c', 'https://shop.example/return'];
    for (const v of kept) expect(redactor.redactHeader('cookie', `theme=${v}`)).toBe(`theme=${v}`);
    expect(redactor.redactHeader('cookie', 'theme=dark; sid=abc; lang=fr')).toBe(`theme=dark; sid=${redactor.hash('abc')}; lang=fr`);
  });

  it('hashes configured session cookies whatever they look like, and pieces without a name', () => {
    const r = createRedactor({ key: Buffer.alloc(32, 7), secretCookies: ['Pref'] });
    expect(r.redactHeader('cookie', 'pref=dark; loose')).toBe(`pref=${r.hash('dark')}; ${r.hash('loose')}`);
  });

  it('hashes configured headers whole and leaves others alone', () => {
    expect(redactor.redactHeader('x-session-token', 'tok')).toBe(redactor.hash('tok'));
    expect(redactor.redactHeader('accept', 'text/html')).toBe('text/html');
  });

  it('depends on the key', () => {
    const other = createRedactor({ key: Buffer.alloc(32, 8) });
    expect(other.hash('abc')).not.toBe(redactor.hash('abc'));
  });
});
