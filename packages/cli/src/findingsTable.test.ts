import type { FindingRow } from '@sidetap/indexer';
import { findingsTableHeader, findingsTableLine } from './findingsTable';

const row = (over: Partial<FindingRow>): FindingRow => ({
  id: 'a'.repeat(32),
  time: Date.UTC(2024, 4, 1, 12, 0, 4, 500),
  severity: 3,
  category: 'enumeration',
  rule: 'enumeration.sequential_ids',
  actorKey: 'jwt:alice',
  userName: undefined,
  userId: 'alice',
  sourceIp: '10.0.0.5',
  endpoint: '/api/v1/accounts/{id}',
  message: 'alice read 40 different accounts in 4 seconds.',
  file: 'x',
  offset: 0,
  length: 1,
  ...over,
});

it('writes each time as ISO 8601 UTC, to the millisecond, whatever the order', () => {
  const times = [Date.UTC(2024, 4, 1, 12, 0, 4, 500), Date.UTC(2024, 4, 1, 12, 0, 4, 5), Date.UTC(2024, 4, 1, 12, 0, 59, 999), Date.UTC(2024, 4, 1, 11, 59, 0, 0), -1, -60_001, Date.UTC(1969, 11, 31, 23, 59, 59, 50), 0];
  for (const time of times) expect(findingsTableLine(row({ time })).slice(0, 24)).toBe(new Date(time).toISOString());
  expect(findingsTableLine(row({ time: NaN })).slice(0, 2)).toBe('- ');
});

it('lines its columns up under the header, cutting long values with an ellipsis', () => {
  const header = findingsTableHeader();
  const line = findingsTableLine(row({ endpoint: `/api/v1/${'very-long-segment/'.repeat(5)}{id}` }));
  expect(line.indexOf('high')).toBe(header.indexOf('SEVERITY'));
  expect(line.indexOf('alice')).toBe(header.indexOf('ACTOR'));
  expect(line.indexOf('/api/v1/')).toBe(header.indexOf('ENDPOINT'));
  expect(line.indexOf('alice read')).toBe(header.indexOf('MESSAGE'));
  expect(line).toContain('…');
});

it('replaces control characters and lone surrogates from traffic', () => {
  const line = findingsTableLine(row({ userId: 'eve\u001b]0;pwned\u0007', message: 'bad \u009b2J and \ud800 alone' }));
  expect(line).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ud800-\udfff]/);
  expect(line).toContain('eve?]0;pwned?');
  expect(line).toContain('bad ?2J and ? alone');
});
