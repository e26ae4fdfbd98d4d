// One actor's story: pick a user or an actor key (or arrive from the top-actors dashboard with
// one already filtered) and read their requests in order, their sessions and their findings.
import { dashboard } from '../dashboard';
import { column, metricTile, xyChart } from '../lens';
import { DATA_VIEWS } from '../savedObject';
import type { SavedObject } from '../savedObject';
import { savedSearch } from '../savedSearch';

export const ACTOR_DRILLDOWN_ID = 'sidetap-actor-drilldown';

export function actorDrilldown(): SavedObject[] {
  const { events, findings, sessions } = DATA_VIEWS;
  const requests = metricTile({
    id: 'sidetap-actor-requests',
    title: 'Requests',
    description: 'Requests in the time range (narrow it with the User or Actor control).',
    dataView: events,
    columns: { requests: column.count('Requests') },
    value: 'requests',
  });
  const sessionCount = metricTile({
    id: 'sidetap-actor-session-count',
    title: 'Sessions',
    description: 'Distinct sessions (visits) the requests belong to.',
    dataView: events,
    columns: { sessions: column.uniqueCount('sidetap.session.id', 'Sessions') },
    value: 'sessions',
  });
  const findingCount = metricTile({
    id: 'sidetap-actor-finding-count',
    title: 'Findings',
    description: 'Findings raised about the actor.',
    dataView: findings,
    columns: { findings: column.count('Findings') },
    value: 'findings',
  });
  const highestRisk = metricTile({
    id: 'sidetap-actor-highest-risk',
    title: 'Highest incident risk',
    description: 'Highest risk any of the actor\'s incidents reached (0-100).',
    dataView: findings,
    columns: { risk: column.max('sidetap.incident.risk_score', 'Highest incident risk') },
    value: 'risk',
  });
  const requestsOverTime = xyChart({
    id: 'sidetap-actor-requests-over-time',
    title: 'Requests over time by endpoint',
    description: 'What the actor called, when.',
    dataView: events,
    columns: {
      time: column.dateHistogram(),
      requests: column.count('Requests'),
      endpoint: column.terms('sidetap.endpoint', 'Endpoint', 8, 'requests'),
    },
    seriesType: 'bar_stacked',
    x: 'time',
    y: ['requests'],
    split: 'endpoint',
  });
  const findingsOverTime = xyChart({
    id: 'sidetap-actor-findings-over-time',
    title: 'Findings over time by category',
    description: 'When the actor\'s findings were raised.',
    dataView: findings,
    columns: {
      time: column.dateHistogram(),
      findings: column.count('Findings'),
      category: column.terms('rule.category', 'Category', 8, 'findings'),
    },
    seriesType: 'bar_stacked',
    x: 'time',
    y: ['findings'],
    split: 'category',
  });
  const timeline = savedSearch({
    id: 'sidetap-actor-timeline',
    title: '[sidetap] Actor timeline: requests in order',
    description: 'Every request, oldest first, with the session it belongs to and its position in it.',
    dataView: events,
    columns: [
      'user.name',
      'sidetap.actor_key',
      'sidetap.session.id',
      'sidetap.session.seq',
      'http.request.method',
      'sidetap.endpoint',
      'url.path',
      'http.response.status_code',
      'source.ip',
      'source.geo.country_iso_code',
      'sidetap.device.id',
    ],
    sort: [['@timestamp', 'asc']],
  });
  const actorFindings = savedSearch({
    id: 'sidetap-actor-findings',
    title: '[sidetap] Actor findings',
    description: 'Findings about the actor, newest first.',
    dataView: findings,
    columns: ['event.severity', 'rule.category', 'rule.name', 'sidetap.endpoint', 'sidetap.incident.id', 'message'],
    sort: [['@timestamp', 'desc']],
  });
  const actorSessions = savedSearch({
    id: 'sidetap-actor-sessions',
    title: '[sidetap] Actor sessions',
    description: 'Each visit summarised when it closed.',
    dataView: sessions,
    columns: [
      'sidetap.session.id',
      'sidetap.session.requests',
      'sidetap.session.endpoints',
      'sidetap.session.errors',
      'sidetap.session.countries',
      'sidetap.session.closed_by',
    ],
    sort: [['@timestamp', 'desc']],
  });
  const board = dashboard({
    id: ACTOR_DRILLDOWN_ID,
    title: '[sidetap] Actor drill-down',
    description: 'One user or actor: pick them in the controls, or click an actor on [sidetap] Top actors and endpoints.',
    controls: [
      { key: 'control-user', field: 'user.name', title: 'User', dataView: events },
      { key: 'control-actor', field: 'sidetap.actor_key', title: 'Actor', dataView: events },
    ],
    panels: [
      { key: 'requests', object: requests, x: 0, y: 0, w: 12, h: 6 },
      { key: 'sessions', object: sessionCount, x: 12, y: 0, w: 12, h: 6 },
      { key: 'findings', object: findingCount, x: 24, y: 0, w: 12, h: 6 },
      { key: 'risk', object: highestRisk, x: 36, y: 0, w: 12, h: 6 },
      { key: 'requests-over-time', object: requestsOverTime, x: 0, y: 6, w: 24, h: 12 },
      { key: 'findings-over-time', object: findingsOverTime, x: 24, y: 6, w: 24, h: 12 },
      { key: 'timeline', object: timeline, x: 0, y: 18, w: 48, h: 20 },
      { key: 'actor-findings', object: actorFindings, x: 0, y: 38, w: 28, h: 14 },
      { key: 'actor-sessions', object: actorSessions, x: 28, y: 38, w: 20, h: 14 },
    ],
  });
  return [requests, sessionCount, findingCount, highestRisk, requestsOverTime, findingsOverTime, timeline, actorFindings, actorSessions, board];
}
