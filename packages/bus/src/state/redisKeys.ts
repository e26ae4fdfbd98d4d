// Where the Redis store keeps each kind of state. A letter per kind keeps kinds apart (no WRONGTYPE
// when a stage uses one name for a counter and a set); numbers go last so a key parses from the right.
//   <prefix>v:<key>                      hash {v: value, x: expiry event time ms (absent: none)}
//   <prefix>w:<key>:<windowMs>:<start>   string counter of one fixed window
//   <prefix>z:<key>                      sorted set, score = event time
//   <prefix>d:<key>                      HyperLogLog (PFADD/PFCOUNT)

export interface RedisKeys {
  value(key: string): string;
  window(key: string, windowMs: number, start: number): string;
  sortedSet(key: string): string;
  sketch(key: string): string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    value: (key) => `${prefix}v:${key}`,
    window: (key, windowMs, start) => `${prefix}w:${key}:${windowMs}:${start}`,
    sortedSet: (key) => `${prefix}z:${key}`,
    sketch: (key) => `${prefix}d:${key}`,
  };
}

/** A score bound as Redis reads it; exclusive bounds start with `(`. */
export function scoreBound(value: number, exclusive = false): string {
  const text = value === Infinity ? '+inf' : value === -Infinity ? '-inf' : String(value);
  return exclusive ? `(${text}` : text;
}
