// `a=1&b=x%20y` pairs of a query string or form-urlencoded body, decoded safely, with array
// indices in keys collapsed (`items[3][qty]` → `items[][qty]`) so a list does not become
// one parameter per index.
import type { ParameterCollector } from './parameterCollector';
import type { ParameterLocation } from './parameterDeviation';
import { urlDecode } from './urlDecode';

const INDEX = /\[\d+\]/g;

/**
 * Adds every pair of `raw` to the collector. `dropLast` leaves out the final pair, for a body
 * sample cut short where the last value may be partial.
 */
export function collectPairs(raw: string, location: ParameterLocation, collector: ParameterCollector, dropLast: boolean): void {
  // Query strings use '+' for space only by convention, but forms and most servers agree on it.
  const end = dropLast ? raw.lastIndexOf('&') : raw.length;
  let start = 0;
  while (start < end) {
    let stop = raw.indexOf('&', start);
    if (stop < 0 || stop > end) stop = end;
    if (stop > start) {
      const eq = raw.indexOf('=', start);
      const hasValue = eq >= 0 && eq < stop;
      const name = parameterName(urlDecode(raw.slice(start, hasValue ? eq : stop), true));
      const value = hasValue ? urlDecode(raw.slice(eq + 1, stop), true) : '';
      if (!collector.add(location, name, value)) return;
    }
    start = stop + 1;
  }
}

function parameterName(decoded: string): string {
  return decoded.includes('[') ? decoded.replace(INDEX, '[]') : decoded;
}
