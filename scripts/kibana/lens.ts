// Lens visualizations (Kibana's editor since 7.x, the one 9.x still creates): one data layer over
// one data view, columns built by small helpers so each chart reads as what it counts by what.
import { kuery, savedObject } from './savedObject';
import type { DataViewRef, SavedObject } from './savedObject';

/** One Lens column: a bucket (terms, date histogram) or a metric (count, max, unique count). */
export type LensColumn = Record<string, unknown> & { isBucketed: boolean };

const metric = (label: string, operationType: string, dataType: string, sourceField: string, kql?: string): LensColumn => ({
  label,
  customLabel: true,
  dataType,
  operationType,
  sourceField,
  isBucketed: false,
  scale: 'ratio',
  params: { emptyAsNull: true },
  ...(kql === undefined ? {} : { filter: kuery(kql) }),
});

export const column = {
  /** Documents; `kql` counts only those matching it. */
  count: (label: string, kql?: string): LensColumn => metric(label, 'count', 'number', '___records___', kql),
  uniqueCount: (field: string, label: string): LensColumn => metric(label, 'unique_count', 'number', field),
  max: (field: string, label: string): LensColumn => metric(label, 'max', 'number', field),
  dateHistogram: (label = '@timestamp'): LensColumn => ({
    label,
    dataType: 'date',
    operationType: 'date_histogram',
    sourceField: '@timestamp',
    isBucketed: true,
    scale: 'interval',
    params: { interval: 'auto', includeEmptyRows: true, dropPartials: false },
  }),
  /** The `size` most frequent values of `field`, ranked by the metric column `rankBy`. */
  terms: (field: string, label: string, size: number, rankBy: string, dataType = 'string'): LensColumn => ({
    label,
    customLabel: true,
    dataType,
    operationType: 'terms',
    sourceField: field,
    isBucketed: true,
    scale: 'ordinal',
    params: {
      size,
      orderBy: { type: 'column', columnId: rankBy },
      orderDirection: 'desc',
      otherBucket: false,
      missingBucket: false,
      parentFormat: { id: 'terms' },
    },
  }),
};

const LAYER = 'main';

export interface LensSpec {
  id: string;
  title: string;
  description: string;
  dataView: DataViewRef;
  columns: Record<string, LensColumn>;
  /** A KQL query every row of the chart must match. */
  query?: string;
}

function lens(spec: LensSpec, visualizationType: string, visualization: Record<string, unknown>): SavedObject {
  const names = Object.keys(spec.columns);
  // Buckets first: Lens builds the aggregation tree in column order.
  const columnOrder = [...names.filter((n) => spec.columns[n]!.isBucketed), ...names.filter((n) => !spec.columns[n]!.isBucketed)];
  return savedObject(
    'lens',
    spec.id,
    {
      title: spec.title,
      description: spec.description,
      visualizationType,
      state: {
        datasourceStates: { formBased: { layers: { [LAYER]: { columns: spec.columns, columnOrder, incompleteColumns: {} } } } },
        visualization,
        query: kuery(spec.query),
        filters: [],
        internalReferences: [],
        adHocDataViews: {},
      },
    },
    [{ type: 'index-pattern', id: spec.dataView.id, name: `indexpattern-datasource-layer-${LAYER}` }],
  );
}

export interface XySpec extends LensSpec {
  seriesType: 'bar_stacked' | 'bar_horizontal' | 'bar_horizontal_stacked' | 'line';
  x: string;
  y: string[];
  split?: string;
}

export function xyChart(spec: XySpec): SavedObject {
  return lens(spec, 'lnsXY', {
    legend: { isVisible: spec.split !== undefined || spec.y.length > 1, position: 'right' },
    valueLabels: 'hide',
    fittingFunction: 'None',
    preferredSeriesType: spec.seriesType,
    axisTitlesVisibilitySettings: { x: false, yLeft: true, yRight: true },
    tickLabelsVisibilitySettings: { x: true, yLeft: true, yRight: true },
    gridlinesVisibilitySettings: { x: true, yLeft: true, yRight: true },
    layers: [
      {
        layerId: LAYER,
        layerType: 'data',
        seriesType: spec.seriesType,
        xAccessor: spec.x,
        accessors: spec.y,
        ...(spec.split === undefined ? {} : { splitAccessor: spec.split }),
      },
    ],
  });
}

export interface DonutSpec extends LensSpec {
  group: string;
  size: string;
}

export function donutChart(spec: DonutSpec): SavedObject {
  return lens(spec, 'lnsPie', {
    shape: 'donut',
    layers: [
      {
        layerId: LAYER,
        layerType: 'data',
        primaryGroups: [spec.group],
        metrics: [spec.size],
        numberDisplay: 'value',
        categoryDisplay: 'default',
        legendDisplay: 'show',
        nestedLegend: false,
      },
    ],
  });
}

export interface TableSpec extends LensSpec {
  /** Columns in display order. */
  show: string[];
  sortBy: string;
}

export function dataTable(spec: TableSpec): SavedObject {
  return lens(spec, 'lnsDatatable', {
    layerId: LAYER,
    layerType: 'data',
    columns: spec.show.map((columnId) => ({ columnId })),
    sorting: { columnId: spec.sortBy, direction: 'desc' },
    rowHeight: 'single',
    headerRowHeight: 'single',
    paging: { size: 10, enabled: true },
  });
}

export interface MetricSpec extends LensSpec {
  value: string;
}

export function metricTile(spec: MetricSpec): SavedObject {
  return lens(spec, 'lnsMetric', { layerId: LAYER, layerType: 'data', metricAccessor: spec.value });
}
