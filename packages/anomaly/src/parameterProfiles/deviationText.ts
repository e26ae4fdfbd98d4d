// The words of a deviation: how a parameter is named in a sentence, and the excerpt of a value,
// escaped so control bytes stay visible and cut to a size fit for a finding.
import type { ParameterLocation } from './parameterDeviation';

export const EXCERPT_LENGTH = 120;

const LOCATION_WORDS: Record<ParameterLocation, string> = {
  query: 'Query parameter',
  form: 'Form field',
  json: 'JSON field',
  header: 'Header',
};

/** "Query parameter q", "JSON field items[].qty", "Header user-agent". */
export function parameterPhrase(location: ParameterLocation, name: string): string {
  return `${LOCATION_WORDS[location]} ${nameText(name)}`;
}

/**
 * A name from traffic, fit for a sentence or a terminal: JSON escapes for quotes, controls and
 * lone surrogates (an escape sequence in a parameter name must not reach `sidetap models show`).
 */
export function nameText(name: string): string {
  return JSON.stringify(name).slice(1, -1).slice(0, EXCERPT_LENGTH);
}

// C0 and C1 controls, DEL, and lone surrogates would make an excerpt unreadable or invalid.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The value with unprintable characters as \xNN or \uNNNN, at most `max` characters. */
export function excerptOf(value: string, max = EXCERPT_LENGTH): string {
  const head = value.length > max ? value.slice(0, max) : value;
  const escaped = head.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  const cut = escaped.length > max ? escaped.slice(0, max) : escaped;
  // A cut may split a surrogate pair; a lone half is not valid text.
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
