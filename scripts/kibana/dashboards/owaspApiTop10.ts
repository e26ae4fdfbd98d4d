// Findings mapped onto the OWASP API Security Top 10 (2023): which risks the API is exposed to,
// by how many actors and endpoints, and which sidetap categories make each one up.
import { dashboard } from '../dashboard';
import { column, dataTable, donutChart, xyChart } from '../lens';
import { DATA_VIEWS } from '../savedObject';
import type { SavedObject } from '../savedObject';

export function owaspApiTop10(): SavedObject[] {
  const { findings } = DATA_VIEWS;
  const share = donutChart({
    id: 'sidetap-owasp-share',
    title: 'Findings by OWASP API risk',
    description: 'Share of findings under each OWASP API Security Top 10 (2023) risk; findings that map to none are left out.',
    dataView: findings,
    columns: {
      risk: column.terms('sidetap.owasp_api', 'OWASP API risk', 10, 'findings'),
      findings: column.count('Findings'),
    },
    group: 'risk',
    size: 'findings',
  });
  const breakdown = dataTable({
    id: 'sidetap-owasp-breakdown',
    title: 'OWASP API Top 10 breakdown',
    description: 'Per risk: findings, actors, endpoints and the highest risk score.',
    dataView: findings,
    columns: {
      risk: column.terms('sidetap.owasp_api', 'OWASP API risk', 10, 'findings'),
      findings: column.count('Findings'),
      actors: column.uniqueCount('sidetap.actor_key', 'Actors'),
      endpoints: column.uniqueCount('sidetap.endpoint', 'Endpoints'),
      score: column.max('event.risk_score', 'Highest risk'),
    },
    show: ['risk', 'findings', 'actors', 'endpoints', 'score'],
    sortBy: 'findings',
  });
  const overTime = xyChart({
    id: 'sidetap-owasp-over-time',
    title: 'OWASP API risks over time',
    description: 'Findings per interval, stacked by sidetap.owasp_api.',
    dataView: findings,
    columns: {
      time: column.dateHistogram(),
      findings: column.count('Findings'),
      risk: column.terms('sidetap.owasp_api', 'OWASP API risk', 10, 'findings'),
    },
    seriesType: 'bar_stacked',
    x: 'time',
    y: ['findings'],
    split: 'risk',
  });
  const categories = xyChart({
    id: 'sidetap-owasp-categories',
    title: 'Categories behind each OWASP API risk',
    description: 'Findings per OWASP API risk, split by the sidetap rule.category that raised them.',
    dataView: findings,
    columns: {
      risk: column.terms('sidetap.owasp_api', 'OWASP API risk', 10, 'findings'),
      findings: column.count('Findings'),
      category: column.terms('rule.category', 'Category', 10, 'findings'),
    },
    seriesType: 'bar_horizontal_stacked',
    x: 'risk',
    y: ['findings'],
    split: 'category',
  });
  const board = dashboard({
    id: 'sidetap-owasp-api-top-10',
    title: '[sidetap] OWASP API Top 10',
    description: 'Findings by OWASP API Security Top 10 (2023) risk.',
    panels: [
      { key: 'share', object: share, x: 0, y: 0, w: 18, h: 16 },
      { key: 'breakdown', object: breakdown, x: 18, y: 0, w: 30, h: 16 },
      { key: 'over-time', object: overTime, x: 0, y: 16, w: 48, h: 14 },
      { key: 'categories', object: categories, x: 0, y: 30, w: 48, h: 16 },
    ],
  });
  return [share, breakdown, overTime, categories, board];
}
