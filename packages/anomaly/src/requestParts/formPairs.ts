// The `name=value` pairs of a query string or form-urlencoded body, as written (not decoded):
// callers decode as their use needs.

/**
 * Calls `pair(rawName, rawValue)` for every non-empty `&`-separated piece of `raw`; rawValue is
 * undefined when the piece has no `=`. `dropLast` leaves out the final pair, for a body sample
 * cut short where the last value may be partial. Stops when `pair` returns false.
 */
export function forEachPair(raw: string, dropLast: boolean, pair: (rawName: string, rawValue: string | undefined) => boolean): void {
  const end = dropLast ? raw.lastIndexOf('&') : raw.length;
  let start = 0;
  while (start < end) {
    let stop = raw.indexOf('&', start);
    if (stop < 0 || stop > end) stop = end;
    if (stop > start) {
      const eq = raw.indexOf('=', start);
      const hasValue = eq >= 0 && eq < stop;
      if (!pair(raw.slice(start, hasValue ? eq : stop), hasValue ? raw.slice(eq + 1, stop) : undefined)) return;
    }
    start = stop + 1;
  }
}
