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

  it('keeps cookie names and attributes, hides their values', () => {
    expect(redactor.redactHeader('cookie', 'sid=s3cret; theme=dark')).toMatch(/^sid=h:\S+; theme=h:\S+$/);
    const set = redactor.redactHeader('set-cookie', 'sid=s3cret; Path=/; HttpOnly');
    expect(set).toMatch(/^sid=h:\S+; Path=\/; HttpOnly$/);
    expect(set).not.toContain('s3cret');
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
