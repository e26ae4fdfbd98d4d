// Where findings and requests come from: a map of client locations (findings over all traffic),
// with the countries and cities behind them.
import { dashboard } from '../dashboard';
import { geoMap } from '../geoMap';
import { column, dataTable, xyChart } from '../lens';
import { DATA_VIEWS } from '../savedObject';
import type { SavedObject } from '../savedObject';

const HIGH_OR_CRITICAL = 'event.severity >= 3';

export function sourceGeography(): SavedObject[] {
  const { events, findings } = DATA_VIEWS;
  const map = geoMap({
    id: 'sidetap-source-geo-map',
    title: '[sidetap] Client locations',
    description: 'Findings and requests by client location (source.geo.location): clusters with counts, single findings when zoomed in.',
    layers: [
      {
        kind: 'clusters',
        id: 'requests',
        label: 'Requests by client location',
        dataView: events,
        geoField: 'source.geo.location',
        distinctField: 'sidetap.actor_key',
        distinctLabel: 'actors',
        color: '#6092C0',
        minZoom: 0,
        maxZoom: 24,
      },
      {
        kind: 'clusters',
        id: 'findings',
        label: 'Findings by client location',
        dataView: findings,
        geoField: 'source.geo.location',
        distinctField: 'rule.category',
        distinctLabel: 'categories',
        color: '#E7664C',
        minZoom: 0,
        maxZoom: 8,
      },
      {
        kind: 'documents',
        id: 'finding-points',
        label: 'Findings',
        dataView: findings,
        geoField: 'source.geo.location',
        tooltip: ['@timestamp', 'event.severity', 'rule.category', 'rule.name', 'sidetap.actor_key', 'user.name', 'source.ip', 'source.geo.city_name', 'source.geo.country_name'],
        color: '#BD271E',
        minZoom: 8,
        maxZoom: 24,
      },
    ],
  });
  const findingCountries = dataTable({
    id: 'sidetap-source-finding-countries',
    title: 'Findings by country',
    description: 'Findings, high and critical ones, and distinct actors per client country.',
    dataView: findings,
    columns: {
      country: column.terms('source.geo.country_name', 'Country', 30, 'findings'),
      findings: column.count('Findings'),
      severe: column.count('High and critical', HIGH_OR_CRITICAL),
      actors: column.uniqueCount('sidetap.actor_key', 'Actors'),
    },
    show: ['country', 'findings', 'severe', 'actors'],
    sortBy: 'findings',
  });
  const requestCountries = dataTable({
    id: 'sidetap-source-request-countries',
    title: 'Requests by country',
    description: 'Requests and distinct actors per client country: where the traffic comes from.',
    dataView: events,
    columns: {
      country: column.terms('source.geo.country_name', 'Country', 30, 'requests'),
      requests: column.count('Requests'),
      actors: column.uniqueCount('sidetap.actor_key', 'Actors'),
    },
    show: ['country', 'requests', 'actors'],
    sortBy: 'requests',
  });
  const findingCities = dataTable({
    id: 'sidetap-source-finding-cities',
    title: 'Findings by city',
    description: 'Findings and distinct actors per client city.',
    dataView: findings,
    columns: {
      city: column.terms('source.geo.city_name', 'City', 30, 'findings'),
      country: column.terms('source.geo.country_iso_code', 'Country', 1, 'findings'),
      findings: column.count('Findings'),
      actors: column.uniqueCount('sidetap.actor_key', 'Actors'),
    },
    show: ['city', 'country', 'findings', 'actors'],
    sortBy: 'findings',
  });
  const overTime = xyChart({
    id: 'sidetap-source-findings-over-time',
    title: 'Findings over time by country',
    description: 'Findings per interval from the five client countries with the most.',
    dataView: findings,
    columns: {
      time: column.dateHistogram(),
      findings: column.count('Findings'),
      country: column.terms('source.geo.country_iso_code', 'Country', 5, 'findings'),
    },
    seriesType: 'bar_stacked',
    x: 'time',
    y: ['findings'],
    split: 'country',
  });
  const board = dashboard({
    id: 'sidetap-source-geography',
    title: '[sidetap] Source geography',
    description: 'Where findings and requests come from. Addresses with no place on a map (private, loopback) are absent.',
    panels: [
      { key: 'map', object: map, x: 0, y: 0, w: 32, h: 24 },
      { key: 'finding-countries', object: findingCountries, x: 32, y: 0, w: 16, h: 24 },
      { key: 'request-countries', object: requestCountries, x: 0, y: 24, w: 16, h: 14 },
      { key: 'finding-cities', object: findingCities, x: 16, y: 24, w: 16, h: 14 },
      { key: 'over-time', object: overTime, x: 32, y: 24, w: 16, h: 14 },
    ],
  });
  return [map, findingCountries, requestCountries, findingCities, overTime, board];
}
