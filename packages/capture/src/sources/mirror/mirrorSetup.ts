// What the command line turns its --mirror-* flags into: the listen address, the token from its
// file, the TLS files. Each fault is one sentence naming the flag or file (ConfigError, exit 2).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { ConfigError } from '@sidetap/core';
import type { MirrorTls } from './mirrorServer';

/** "0.0.0.0:9400", ":9400" (all interfaces), "[::1]:9400" or "9400" as host and port. */
export function parseListenAddress(text: string, flag = '--mirror-http'): { host: string; port: number } {
  const m = /^(?:(?:\[([^\]]+)\]|([^:[\]]*)):)?(\d{1,5})$/.exec(text.trim());
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || port > 65535) throw new ConfigError(`${flag} takes HOST:PORT (such as 0.0.0.0:9400), not "${text}".`, flag);
  const host = m[1] ?? (m[2] === undefined || m[2] === '' ? '0.0.0.0' : m[2]);
  if (m[1] !== undefined && isIP(host) !== 6) throw new ConfigError(`${flag}: ${host} is not an IPv6 address.`, flag);
  return { host, port };
}

/** The token in `file` (surrounding whitespace dropped); an unreadable or empty file is a ConfigError. */
export function readMirrorToken(file: string, flag = '--mirror-token-file'): string {
  const token = readText(file, flag).trim();
  if (token === '') throw new ConfigError(`${file} (${flag}) is empty; it must hold the mirror token.`, file);
  if (/\s/.test(token)) throw new ConfigError(`${file} (${flag}) holds whitespace inside the token; a bearer token is one word.`, file);
  return token;
}

/** The PEM files of --mirror-tls-cert, --mirror-tls-key and (for client certificates) --mirror-tls-ca. */
export function readMirrorTls(files: { cert: string; key: string; ca?: string | undefined }): MirrorTls {
  return {
    cert: readText(files.cert, '--mirror-tls-cert'),
    key: readText(files.key, '--mirror-tls-key'),
    ...(files.ca === undefined ? {} : { ca: readText(files.ca, '--mirror-tls-ca') }),
  };
}

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file} (${flag}) cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`, file);
  }
}
