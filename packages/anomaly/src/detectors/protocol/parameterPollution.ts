// HTTP parameter pollution: one parameter given twice with different values (hops that take the
// first and hops that take the last value see different requests), and one JSON key given twice
// in one object (JSON.parse keeps the last; other parsers and validators the first).
import type { Event } from '@sidetap/core';
import type { JsonShape } from './jsonShape';
import type { ProtocolHit } from './protocolHit';
import { shown } from './protocolHit';

export interface Param {
  name: string;
  value: string;
}

/** Parameters parsed at most; the count check sees the true number. */
const MAX_PARAMS = 10_000;

function decode(s: string): string {
  if (!s.includes('%') && !s.includes('+')) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** name=value pairs of a query string or form body, names and values percent-decoded. */
export function parseParams(s: string | undefined): Param[] {
  if (s === undefined || s === '') return [];
  const out: Param[] = [];
  let i = 0;
  while (i <= s.length && out.length < MAX_PARAMS) {
    let amp = s.indexOf('&', i);
    if (amp < 0) amp = s.length;
    if (amp > i) {
      const eq = s.indexOf('=', i);
      const part = eq >= 0 && eq < amp;
      out.push({ name: decode(s.slice(i, part ? eq : amp)), value: part ? decode(s.slice(eq + 1, amp)) : '' });
    }
    i = amp + 1;
  }
  return out;
}

export const queryParams = (query: string | undefined): Param[] => parseParams(query);
export const formParams = (body: string | undefined): Param[] => parseParams(body);

/** How many parameters a query string or form body holds (no decoding). */
export function paramCount(s: string | undefined): number {
  if (s === undefined || s === '') return 0;
  let n = 0;
  let start = 0;
  for (let k = 0; k <= s.length; k++) {
    if (k === s.length || s.charCodeAt(k) === 0x26) {
      if (k > start) n++;
      start = k + 1;
    }
  }
  return n;
}

/** The first parameter given twice with different values, unless array syntax (`ids[]`) or learned repetition makes that normal. */
export function pollutedParam(params: readonly Param[], sensitive: ReadonlySet<string>, learnedRepeats: ReadonlySet<string>): { name: string; values: string[] } | undefined {
  const seen = new Map<string, string>();
  for (const p of params) {
    const first = seen.get(p.name);
    if (first === undefined) {
      seen.set(p.name, p.value);
      continue;
    }
    if (first === p.value || p.name.endsWith('[]') || learnedRepeats.has(p.name)) continue;
    // Repeated names are how most frameworks send lists (ids=1&ids=2); only names that carry
    // identity, authority, money or a destination are judged.
    if (sensitive.has(p.name.toLowerCase())) return { name: p.name, values: [first, p.value] };
  }
  return undefined;
}

/** Names given more than once (for learning which repetitions an endpoint uses). */
export function repeatedNames(params: readonly Param[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const p of params) (seen.has(p.name) ? repeated : seen).add(p.name);
  return [...repeated];
}

export function pollutionHits(e: Event, where: 'query' | 'form', params: readonly Param[], sensitive: ReadonlySet<string>, learnedRepeats: ReadonlySet<string>): ProtocolHit[] {
  const p = pollutedParam(params, sensitive, learnedRepeats);
  if (p === undefined) return [];
  const values = p.values.map((v) => `"${shown(v, 40)}"`).join(' and ');
  return [
    {
      category: 'protocol_violation',
      reason: 'parameter_pollution',
      name: 'Parameter given twice with different values',
      severity: 2,
      confidence: 0.8,
      observed: `${shown(p.name, 40)}: ${values}`,
      expected: `one value of ${shown(p.name, 40)}`,
      message: `The ${where === 'query' ? 'query' : 'form body'} of ${e.http.request.method} ${e.sidetap.endpoint} gave ${shown(p.name, 40)} twice (${values}): hops that take the first and hops that take the last value see different requests.`,
    },
  ];
}

export function duplicateKeyHit(e: Event, shape: JsonShape, sensitive: ReadonlySet<string>): ProtocolHit[] {
  const key = shape.duplicateKey;
  if (key === undefined) return [];
  return [
    {
      category: 'protocol_violation',
      reason: 'duplicate_json_key',
      name: 'JSON object with the same key twice',
      severity: sensitive.has(key.toLowerCase()) ? 3 : 2,
      confidence: 0.9,
      observed: `"${shown(key, 40)}" twice in one object`,
      expected: 'unique keys (RFC 8259 §4)',
      message: `The JSON body of ${e.http.request.method} ${e.sidetap.endpoint} gave "${shown(key, 40)}" twice in one object: JSON.parse keeps the last value, other parsers and validators the first.`,
    },
  ];
}
