import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@sidetap/core';
import { parseListenAddress, readMirrorToken } from './mirrorSetup';

describe('mirror flags', () => {
  it('reads HOST:PORT forms', () => {
    expect(parseListenAddress('0.0.0.0:9400')).toEqual({ host: '0.0.0.0', port: 9400 });
    expect(parseListenAddress(':9400')).toEqual({ host: '0.0.0.0', port: 9400 });
    expect(parseListenAddress('9400')).toEqual({ host: '0.0.0.0', port: 9400 });
    expect(parseListenAddress('[::1]:9400')).toEqual({ host: '::1', port: 9400 });
    expect(parseListenAddress('localhost:80')).toEqual({ host: 'localhost', port: 80 });
    expect(() => parseListenAddress('0.0.0.0:99999')).toThrow(new ConfigError('--mirror-http takes HOST:PORT (such as 0.0.0.0:9400), not "0.0.0.0:99999".', '--mirror-http'));
    expect(() => parseListenAddress('host:')).toThrow(ConfigError);
    expect(() => parseListenAddress('[nope]:1')).toThrow('--mirror-http: nope is not an IPv6 address.');
  });

  it('reads the token file, refusing an empty or missing one with the file named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidetap-token-'));
    try {
      writeFileSync(join(dir, 'ok'), '  s3cr3t-token\n');
      writeFileSync(join(dir, 'empty'), '\n');
      expect(readMirrorToken(join(dir, 'ok'))).toBe('s3cr3t-token');
      expect(() => readMirrorToken(join(dir, 'empty'))).toThrow(`${join(dir, 'empty')} (--mirror-token-file) is empty; it must hold the mirror token.`);
      expect(() => readMirrorToken(join(dir, 'none'))).toThrow(`${join(dir, 'none')} (--mirror-token-file) cannot be read (ENOENT).`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
