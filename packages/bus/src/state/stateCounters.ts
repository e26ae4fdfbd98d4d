// Names of the state stores' counters (`<stage>_<noun>_<verb>_total`), labelled by the kind of state.
// `evicted` means state lost to a limit; `expired` means state that reached its end in event time.

export type StateKind = 'value' | 'counter' | 'sorted_set' | 'sketch';

const KINDS: readonly StateKind[] = ['value', 'counter', 'sorted_set', 'sketch'];

function byKind(name: string): Readonly<Record<StateKind, string>> {
  return Object.fromEntries(KINDS.map((kind) => [kind, `${name}{kind="${kind}"}`])) as Record<StateKind, string>;
}

export const STATE_COUNTERS = {
  /** Keys dropped to stay within maxKeys or a byte budget (memory store). */
  keysEvicted: byKind('state_keys_evicted_total'),
  /** Keys dropped because event time passed their expiry (memory store). */
  keysExpired: byKind('state_keys_expired_total'),
  /** Sorted-set members dropped to stay within maxSortedSetMembers (both stores). */
  membersEvicted: 'state_members_evicted_total{kind="sorted_set"}',
  /** Connection errors the Redis store saw (ioredis reconnects after each). */
  redisConnectionErrors: 'state_redis_connection_errors_total',
} as const;
