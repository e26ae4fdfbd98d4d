// ioredis, loaded the first time something connects to Redis rather than when the bus package is
// imported: every stage imports the bus, and only distributed runs use Redis.
import type Redis from 'ioredis';

let loaded: typeof Redis | undefined;

export function ioredis(): typeof Redis {
  loaded ??= (require('ioredis') as { default: typeof Redis }).default;
  return loaded;
}
