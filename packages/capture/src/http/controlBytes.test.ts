import { hasSuspiciousByte } from './controlBytes';

/** The definition the word-at-a-time scan must agree with. */
const SUSPICIOUS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)/;

describe('hasSuspiciousByte', () => {
  it('accepts a clean head and finds control bytes, DEL and bare CR', () => {
    const clean = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nX-A: a\tb\u00ff\r\n\r\n', 'latin1');
    expect(hasSuspiciousByte(clean, 0, clean.length)).toBe(false);
    for (const bad of ['X: a\u0000b\r\n', 'X: a\u007fb\r\n', 'X: a\rb\r\n', 'X: a\r', 'X: \u001b\r\n']) {
      const buf = Buffer.from(`GET / HTTP/1.1\r\n${bad}`, 'latin1');
      expect(hasSuspiciousByte(buf, 0, buf.length)).toBe(true);
    }
  });
  it('agrees with the regular expression at every alignment and range', () => {
    let seed = 7;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const pick = () => {
      const r = rand();
      if (r < 0.06) return 0x0d;
      if (r < 0.12) return 0x0a;
      if (r < 0.13) return Math.floor(rand() * 0x20);
      if (r < 0.135) return 0x7f;
      return 0x20 + Math.floor(rand() * 0xe0);
    };
    const pool = Buffer.alloc(4096);
    for (let n = 0; n < 20000; n++) {
      const at = Math.floor(rand() * 4000);
      const len = Math.floor(rand() * 60);
      for (let j = at; j < at + len + 4; j++) pool[j] = pick();
      const start = at + Math.floor(rand() * 4);
      const want = SUSPICIOUS.test(pool.toString('latin1', start, start + len));
      expect(hasSuspiciousByte(pool, start, start + len)).toBe(want);
    }
  });
});
