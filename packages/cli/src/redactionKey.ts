// The key that secrets seen in traffic are hashed with. It must stay the same across runs so
// hashes join up (a token is the same actor tomorrow), and it must not be guessable, so by default
// it is generated once and kept in the store directory, readable only by its owner.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './usageError';

export const REDACTION_KEY_ENV = 'SIDETAP_REDACTION_KEY';

export function loadRedactionKey(storeDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const file = keyFile(storeDir);
  const existing = keyFromEnv(env) ?? readKeyFile(file);
  if (existing !== undefined) return existing;
  const key = randomBytes(32);
  try {
    mkdirSync(storeDir, { recursive: true });
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file);
    throw new UsageError(`cannot write the redaction key to ${file}: ${(err as Error).message}.`);
  }
  return key;
}

/**
 * What loadRedactionKey would refuse, found without making a key (`sidetap --check`): a short
 * SIDETAP_REDACTION_KEY, or a key file in the store that is short or unreadable.
 */
export function checkRedactionKey(storeDir: string, env: NodeJS.ProcessEnv = process.env): void {
  if (keyFromEnv(env) === undefined) readKeyFile(keyFile(storeDir));
}

const keyFile = (storeDir: string): string => join(storeDir, 'redaction.key');

function keyFromEnv(env: NodeJS.ProcessEnv): Buffer | undefined {
  const fromEnv = env[REDACTION_KEY_ENV];
  if (fromEnv === undefined || fromEnv === '') return undefined;
  if (fromEnv.length < 16) throw new UsageError(`${REDACTION_KEY_ENV} must be at least 16 characters.`);
  return Buffer.from(fromEnv, 'utf8');
}

/** The store's key, or undefined when there is none yet. */
function readKeyFile(file: string): Buffer | undefined {
  let existing: Buffer;
  try {
    existing = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read the redaction key ${file}: ${(err as Error).message}.`);
  }
  if (existing.length < 16) throw new UsageError(`${file} holds fewer than 16 bytes; delete it to have a new key made.`);
  return existing;
}
