// The data views every dashboard builds on, one per data stream the indexer writes. Findings show
// severity and OWASP ids with their names, straight from the core definitions.
import { OWASP_API_TOP_10 } from '@sidetap/core';
import { DATA_VIEWS, dataView } from '../savedObject';
import type { SavedObject } from '../savedObject';

export const SEVERITY_NAMES = [
  ['1', 'low'],
  ['2', 'medium'],
  ['3', 'high'],
  ['4', 'critical'],
] as const;

export function dataViews(): SavedObject[] {
  return [
    dataView(DATA_VIEWS.findings, 'sidetap findings', {
      'event.severity': SEVERITY_NAMES,
      'sidetap.owasp_api': Object.entries(OWASP_API_TOP_10).map(([id, title]) => [id, `${id} ${title}`] as const),
    }),
    dataView(DATA_VIEWS.events, 'sidetap events (requests)'),
    dataView(DATA_VIEWS.sessions, 'sidetap sessions'),
  ];
}
