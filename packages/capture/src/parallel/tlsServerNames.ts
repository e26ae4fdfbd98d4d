// The TLS server names several reassemblers tallied, as one list: summed per name, most seen first
// (BoundedTally.top's order), the first TLS_SERVER_NAMES_SHOWN shown, `other` (names past a
// tally's cap) kept last.
import { TLS_SERVER_NAMES_SHOWN } from '../capturePipeline';

export function mergeTlsServerNames(lists: ReadonlyArray<ReadonlyArray<readonly [string, number]>>): Array<[string, number]> {
  const names = new Map<string, number>();
  for (const list of lists) for (const [name, n] of list) names.set(name, (names.get(name) ?? 0) + n);
  const other = names.get('other');
  names.delete('other');
  const merged = [...names.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, TLS_SERVER_NAMES_SHOWN);
  if (other !== undefined) merged.push(['other', other]);
  return merged;
}
