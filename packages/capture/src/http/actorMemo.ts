// The actor key of a connection's previous request, reused while its credentials stay the same:
// a keep-alive connection sends the same Authorization, Cookie or API key on every request, and
// working the key out means verifying or decoding a JWT or hashing a secret.
import { actorIdentity, DEFAULT_API_KEY_HEADERS } from '@sidetap/core';
import type { ActorIdentity, ActorKeyOptions } from '@sidetap/core';

// Options live for the whole capture while a memo lives for one connection: the list is made once per options.
const watchedByOptions = new WeakMap<ActorKeyOptions, readonly string[]>();

/** Every header actorKey reads with `options`; the key depends on nothing else but the client IP. */
function credentialHeaders(options: ActorKeyOptions): readonly string[] {
  let names = watchedByOptions.get(options);
  if (names === undefined) {
    names = [...new Set([...(options.identityHeaders ?? []), 'authorization', 'cookie', ...(options.apiKeyHeaders ?? DEFAULT_API_KEY_HEADERS)])];
    watchedByOptions.set(options, names);
  }
  return names;
}

export class ActorMemo {
  private readonly watched: readonly string[];
  private readonly seen: (string | undefined)[];
  private clientIp = '';
  private identity: ActorIdentity | undefined = undefined;

  constructor(private readonly options: ActorKeyOptions) {
    this.watched = credentialHeaders(options);
    this.seen = this.watched.map(() => undefined);
  }

  /** actorKey for raw request headers `headers` (lower-case names) from `clientIp`. */
  actorKey(headers: Readonly<Record<string, string>>, clientIp: string): string {
    return this.actor(headers, clientIp).key;
  }

  /** The actor identity (key, credential hash, JWT facts) for raw request headers from `clientIp`. */
  actor(headers: Readonly<Record<string, string>>, clientIp: string): ActorIdentity {
    const { seen, watched } = this;
    let same = this.identity !== undefined && clientIp === this.clientIp;
    for (let k = 0; k < watched.length; k++) {
      // A configured name the prototype offers ("constructor") reads the same value every time,
      // so comparing what the lookup gives is enough to tell that the credentials did not change.
      const value = headers[watched[k] as string];
      if (value !== seen[k]) {
        seen[k] = value;
        same = false;
      }
    }
    if (same) return this.identity as ActorIdentity;
    // No event time (`at`): exp and nbf are not checked during capture. Were they, a token could
    // expire between two requests with the same headers, and the memo would have to check again.
    const identity = actorIdentity({ headers, clientIp }, this.options);
    this.identity = identity;
    this.clientIp = clientIp;
    return identity;
  }
}
