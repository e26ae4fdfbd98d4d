// The landing dashboard: how many findings, how bad, of which category, over time, and the
// latest ones in full.
import { dashboard } from '../dashboard';
import { column, dataTable, metricTile, xyChart } from '../lens';
import { DATA_VIEWS } from '../savedObject';
import type { SavedObject } from '../savedObject';
import { savedSearch } from '../savedSearch';

const HIGH_OR_CRITICAL = 'event.severity >= 3';

export function findingsOverTime(): SavedObject[] {
  const { findings } = DATA_VIEWS;
  const total = metricTile({
    id: 'sidetap-findings-total',
    title: 'Findings',
    description: 'Findings in the time range.',
    dataView: findings,
    columns: { findings: column.count('Findings') },
    value: 'findings',
  });
  const severe = metricTile({
    id: 'sidetap-findings-high-critical',
    title: 'High and critical',
    description: 'Findings of severity 3 (high) or 4 (critical).',
    dataView: findings,
    columns: { severe: column.count('High and critical', HIGH_OR_CRITICAL) },
    value: 'severe',
  });
  const actors = metricTile({
    id: 'sidetap-findings-actors',
    title: 'Actors',
    description: 'Distinct actors (credentials or client addresses) with findings.',
    dataView: findings,
    columns: { actors: column.uniqueCount('sidetap.actor_key', 'Actors') },
    value: 'actors',
  });
  const incidents = metricTile({
    id: 'sidetap-findings-incidents',
    title: 'Incidents',
    description: 'Distinct incidents: an actor\'s findings close together in event time.',
    dataView: findings,
    columns: { incidents: column.uniqueCount('sidetap.incident.id', 'Incidents') },
    value: 'incidents',
  });
  const byCategory = xyChart({
    id: 'sidetap-findings-by-category',
    title: 'Findings over time by category',
    description: 'Findings per interval, stacked by rule.category.',
    dataView: findings,
    columns: {
      time: column.dateHistogram(),
      findings: column.count('Findings'),
      category: column.terms('rule.category', 'Category', 10, 'findings'),
    },
    seriesType: 'bar_stacked',
    x: 'time',
    y: ['findings'],
    split: 'category',
  });
  const bySeverity = xyChart({
    id: 'sidetap-findings-by-severity',
    title: 'Findings over time by severity',
    description: 'Findings per interval, stacked by event.severity (1 low to 4 critical).',
    dataView: findings,
    columns: {
      time: column.dateHistogram(),
      findings: column.count('Findings'),
      severity: column.terms('event.severity', 'Severity', 4, 'findings', 'number'),
    },
    seriesType: 'bar_stacked',
    x: 'time',
    y: ['findings'],
    split: 'severity',
  });
  const categories = dataTable({
    id: 'sidetap-findings-categories',
    title: 'Categories',
    description: 'Each rule.category with its findings, how many were high or critical, and the actors involved.',
    dataView: findings,
    columns: {
      category: column.terms('rule.category', 'Category', 40, 'findings'),
      findings: column.count('Findings'),
      severe: column.count('High and critical', HIGH_OR_CRITICAL),
      actors: column.uniqueCount('sidetap.actor_key', 'Actors'),
      risk: column.max('event.risk_score', 'Highest risk'),
    },
    show: ['category', 'findings', 'severe', 'actors', 'risk'],
    sortBy: 'findings',
  });
  const rules = dataTable({
    id: 'sidetap-findings-rules',
    title: 'Rules',
    description: 'Which rules fired most.',
    dataView: findings,
    columns: {
      rule: column.terms('rule.name', 'Rule', 40, 'findings'),
      findings: column.count('Findings'),
      actors: column.uniqueCount('sidetap.actor_key', 'Actors'),
      risk: column.max('event.risk_score', 'Highest risk'),
    },
    show: ['rule', 'findings', 'actors', 'risk'],
    sortBy: 'findings',
  });
  const latest = savedSearch({
    id: 'sidetap-findings-latest',
    title: '[sidetap] Latest findings',
    description: 'Findings, newest first, with who, where and the one-sentence explanation.',
    dataView: findings,
    columns: ['event.severity', 'rule.category', 'rule.name', 'user.name', 'sidetap.actor_key', 'source.ip', 'sidetap.endpoint', 'message'],
    sort: [['@timestamp', 'desc']],
  });
  const board = dashboard({
    id: 'sidetap-findings-over-time',
    title: '[sidetap] Findings over time',
    description: 'Findings by category and severity over time; open [sidetap] Top actors and endpoints to drill into who.',
    panels: [
      { key: 'total', object: total, x: 0, y: 0, w: 12, h: 6 },
      { key: 'severe', object: severe, x: 12, y: 0, w: 12, h: 6 },
      { key: 'actors', object: actors, x: 24, y: 0, w: 12, h: 6 },
      { key: 'incidents', object: incidents, x: 36, y: 0, w: 12, h: 6 },
      { key: 'by-category', object: byCategory, x: 0, y: 6, w: 24, h: 14 },
      { key: 'by-severity', object: bySeverity, x: 24, y: 6, w: 24, h: 14 },
      { key: 'categories', object: categories, x: 0, y: 20, w: 24, h: 14 },
      { key: 'rules', object: rules, x: 24, y: 20, w: 24, h: 14 },
      { key: 'latest', object: latest, x: 0, y: 34, w: 48, h: 20 },
    ],
  });
  return [total, severe, actors, incidents, byCategory, bySeverity, categories, rules, latest, board];
}
