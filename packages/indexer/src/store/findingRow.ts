// A finding as the index holds it: what `sidetap findings` filters on and shows in its table,
// read from one row of a findings segment's index without parsing the finding.
import type { IndexRow, IndexStrings } from './segmentIndex';

export interface FindingRow {
  /** event.id (deterministic: the same evidence gives the same id). */
  id: string;
  /** @timestamp in ms; NaN if the stored record had none. */
  time: number;
  severity: number;
  category: string;
  /** rule.id */
  rule: string;
  actorKey: string | undefined;
  userName: string | undefined;
  userId: string | undefined;
  sourceIp: string | undefined;
  endpoint: string | undefined;
  /** The message, cut to its first INDEXED_MESSAGE_CHARS characters. */
  message: string;
  /** The segment file holding the finding, and where (its newline excluded). */
  file: string;
  offset: number;
  length: number;
}

// Columns of a findings index row (see IndexEncoder); 5 to 11 are numbers of the segment's strings.
export const COL = { offset: 0, length: 1, time: 2, id: 3, severity: 4, category: 5, rule: 6, actorKey: 7, userName: 8, userId: 9, ip: 10, endpoint: 11, message: 12 } as const;

export function findingRowOf(row: IndexRow, strings: IndexStrings, file: string): FindingRow {
  const time = row[COL.time];
  const severity = row[COL.severity];
  const id = row[COL.id];
  const message = row[COL.message];
  return {
    id: typeof id === 'string' ? id : '',
    time: typeof time === 'number' ? time : NaN,
    severity: typeof severity === 'number' ? severity : 0,
    category: strings[row[COL.category] as number] ?? '',
    rule: strings[row[COL.rule] as number] ?? '',
    actorKey: strings[row[COL.actorKey] as number],
    userName: strings[row[COL.userName] as number],
    userId: strings[row[COL.userId] as number],
    sourceIp: strings[row[COL.ip] as number],
    endpoint: strings[row[COL.endpoint] as number],
    message: typeof message === 'string' ? message : '',
    file,
    offset: row[COL.offset] as number,
    length: row[COL.length] as number,
  };
}
