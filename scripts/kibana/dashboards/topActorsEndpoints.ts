// Who and what: the actors, users, client addresses and endpoints with the most findings, and the
// incidents they add up to. Clicking an actor or user opens the actor drill-down filtered to them.
import { dashboard } from '../dashboard';
import { column, dataTable, xyChart } from '../lens';
import { DATA_VIEWS } from '../savedObject';
import type { SavedObject } from '../savedObject';
import { ACTOR_DRILLDOWN_ID } from './actorDrilldown';

const OPEN_ACTOR = { dashboardId: ACTOR_DRILLDOWN_ID, name: 'Open the actor drill-down' };

export function topActorsEndpoints(): SavedObject[] {
  const { findings } = DATA_VIEWS;
  const topActors = xyChart({
    id: 'sidetap-top-actors',
    title: 'Top actors by findings',
    description: 'Actors (sidetap.actor_key) with the most findings, and how many were high or critical. Click a bar to open the actor drill-down.',
    dataView: findings,
    // No split series: a click then filters on the actor alone, which the drill-down's request
    // panels can apply (events carry no severity).
    columns: {
      actor: column.terms('sidetap.actor_key', 'Actor', 15, 'findings'),
      findings: column.count('Findings'),
      severe: column.count('High and critical', 'event.severity >= 3'),
    },
    seriesType: 'bar_horizontal',
    x: 'actor',
    y: ['findings', 'severe'],
  });
  const topUsers = dataTable({
    id: 'sidetap-top-users',
    title: 'Top users',
    description: 'Users (user.name) with the most findings. Click a name to open the actor drill-down.',
    dataView: findings,
    columns: {
      user: column.terms('user.name', 'User', 20, 'findings'),
      findings: column.count('Findings'),
      categories: column.uniqueCount('rule.category', 'Categories'),
      incidents: column.uniqueCount('sidetap.incident.id', 'Incidents'),
      risk: column.max('sidetap.incident.risk_score', 'Highest incident risk'),
    },
    show: ['user', 'findings', 'categories', 'incidents', 'risk'],
    sortBy: 'findings',
  });
  const topEndpoints = dataTable({
    id: 'sidetap-top-endpoints',
    title: 'Top endpoints',
    description: 'Endpoint templates with the most findings, and how many actors and categories hit them.',
    dataView: findings,
    columns: {
      endpoint: column.terms('sidetap.endpoint', 'Endpoint', 20, 'findings'),
      findings: column.count('Findings'),
      actors: column.uniqueCount('sidetap.actor_key', 'Actors'),
      categories: column.uniqueCount('rule.category', 'Categories'),
      risk: column.max('event.risk_score', 'Highest risk'),
    },
    show: ['endpoint', 'findings', 'actors', 'categories', 'risk'],
    sortBy: 'findings',
  });
  const topAddresses = xyChart({
    id: 'sidetap-top-client-addresses',
    title: 'Top client addresses',
    description: 'Client IPs (source.ip) with the most findings.',
    dataView: findings,
    columns: {
      address: column.terms('source.ip', 'Client address', 15, 'findings', 'ip'),
      findings: column.count('Findings'),
    },
    seriesType: 'bar_horizontal',
    x: 'address',
    y: ['findings'],
  });
  const incidents = dataTable({
    id: 'sidetap-incidents',
    title: 'Incidents',
    description: 'Each incident (one actor\'s correlated findings) with its actor, size and risk.',
    dataView: findings,
    columns: {
      incident: column.terms('sidetap.incident.id', 'Incident', 25, 'risk'),
      actor: column.terms('sidetap.actor_key', 'Actor', 1, 'risk'),
      risk: column.max('sidetap.incident.risk_score', 'Incident risk'),
      size: column.max('sidetap.incident.findings', 'Findings'),
    },
    show: ['incident', 'actor', 'risk', 'size'],
    sortBy: 'risk',
  });
  const board = dashboard({
    id: 'sidetap-top-actors-endpoints',
    title: '[sidetap] Top actors and endpoints',
    description: 'Who raised the most findings and where; click an actor bar or a user name to open [sidetap] Actor drill-down.',
    panels: [
      { key: 'top-actors', object: topActors, x: 0, y: 0, w: 24, h: 16, drilldownTo: OPEN_ACTOR },
      { key: 'top-users', object: topUsers, x: 24, y: 0, w: 24, h: 16, drilldownTo: OPEN_ACTOR },
      { key: 'top-endpoints', object: topEndpoints, x: 0, y: 16, w: 28, h: 16 },
      { key: 'top-addresses', object: topAddresses, x: 28, y: 16, w: 20, h: 16 },
      { key: 'incidents', object: incidents, x: 0, y: 32, w: 48, h: 16 },
    ],
  });
  return [topActors, topUsers, topEndpoints, topAddresses, incidents, board];
}
