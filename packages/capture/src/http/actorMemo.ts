// The actor key of a connection's previous request, reused while its credentials stay the same:
// a keep-alive connection sends the same Authorization, Cookie or API key on every request, and
// working the key out means decoding a JWT or hashing a secret.
import { actorKey, DEFAULT_API_KEY_HEADERS } from '@sidetap/core';
import type { Redactor } from '@sidetap/core';

/** Every header core's actorKey reads with its default options; the key depends on nothing else but the client IP. */
const CREDENTIAL_HEADERS: readonly string[] = ['authorization', 'cookie', ...DEFAULT_API_KEY_HEADERS];

export class ActorMemo {
  private readonly seen: (string | undefined)[] = CREDENTIAL_HEADERS.map(() => undefined);
  private clientIp = '';
  private key: string | undefined = undefined;

  constructor(private readonly redactor: Redactor) {}

  /** actorKey for raw request headers `headers` (lower-case names) from `clientIp`. */
  actorKey(headers: Readonly<Record<string, string>>, clientIp: string): string {
    const seen = this.seen;
    let same = this.key !== undefined && clientIp === this.clientIp;
    for (let k = 0; k < CREDENTIAL_HEADERS.length; k++) {
      // None of these names is a property of Object.prototype, so a plain lookup is an own one.
      const value = headers[CREDENTIAL_HEADERS[k] as string];
      if (value !== seen[k]) {
        seen[k] = value;
        same = false;
      }
    }
    if (same) return this.key as string;
    const key = actorKey({ headers, clientIp }, { redactor: this.redactor });
    this.key = key;
    this.clientIp = clientIp;
    return key;
  }
}
