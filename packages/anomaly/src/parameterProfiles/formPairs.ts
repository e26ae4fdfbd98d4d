// `a=1&b=x%20y` pairs of a query string or form-urlencoded body, decoded safely, with array
// indices in keys collapsed (`items[3][qty]` → `items[][qty]`) so a list does not become
// one parameter per index.
import { forEachPair } from '../requestParts/formPairs';
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
  forEachPair(raw, dropLast, (name, value) =>
    collector.add(location, parameterName(urlDecode(name, true)), value === undefined ? '' : urlDecode(value, true)),
  );
}

function parameterName(decoded: string): string {
  return decoded.includes('[') ? decoded.replace(INDEX, '[]') : decoded;
}
