// One JSON.parse per request body however many detectors read it: request_threats and
// parameter_profiles walk the same event's body one after the other. The last text parsed is kept
// with what it parsed to (or that it did not parse); callers only read the document.

/** What parseJsonOnce answers for text that is not JSON. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

let lastText: string | undefined;
let lastDoc: unknown = NOT_JSON;

/** JSON.parse(text), or NOT_JSON where it throws; the same text twice in a row is parsed once. */
export function parseJsonOnce(text: string): unknown {
  if (text === lastText) return lastDoc;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = NOT_JSON;
  }
  lastText = text;
  lastDoc = doc;
  return doc;
}
