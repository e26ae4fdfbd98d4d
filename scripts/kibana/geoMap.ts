// A Kibana Maps object: a base map and, per data view, clusters of documents by client location
// (with a distinct count) or the documents themselves once zoomed in. Layers are written in the
// 8.1+ layer-type names (GEOJSON_VECTOR, EMS_VECTOR_TILE).
import { kuery, savedObject } from './savedObject';
import type { DataViewRef, SavedObject, SavedObjectReference } from './savedObject';

interface LayerBase {
  id: string;
  label: string;
  dataView: DataViewRef;
  geoField: string;
  color: string;
  minZoom: number;
  maxZoom: number;
}

/** Documents counted per grid cell, with how many distinct values of `distinctField` each holds. */
export interface ClusterLayer extends LayerBase {
  kind: 'clusters';
  distinctField: string;
  distinctLabel: string;
}

/** Each document a point, with `tooltip` fields on hover. */
export interface DocumentLayer extends LayerBase {
  kind: 'documents';
  tooltip: string[];
}

export interface GeoMapSpec {
  id: string;
  title: string;
  description: string;
  /** Drawn bottom to top. */
  layers: Array<ClusterLayer | DocumentLayer>;
}

const SOURCE_SCOPE = { applyGlobalQuery: true, applyGlobalTime: true, applyForceRefresh: true };
const STATIC = (options: Record<string, unknown>) => ({ type: 'STATIC', options });

function sourceOf(layer: ClusterLayer | DocumentLayer, indexPatternRefName: string): Record<string, unknown> {
  if (layer.kind === 'clusters') {
    return {
      type: 'ES_GEO_GRID',
      id: `${layer.id}-source`,
      geoField: layer.geoField,
      requestType: 'point',
      resolution: 'COARSE',
      metrics: [{ type: 'count' }, { type: 'cardinality', field: layer.distinctField, label: layer.distinctLabel }],
      indexPatternRefName,
      ...SOURCE_SCOPE,
    };
  }
  return {
    type: 'ES_SEARCH',
    id: `${layer.id}-source`,
    geoField: layer.geoField,
    scalingType: 'LIMIT',
    filterByMapBounds: true,
    sortField: '@timestamp',
    sortOrder: 'desc',
    tooltipProperties: layer.tooltip,
    indexPatternRefName,
    ...SOURCE_SCOPE,
  };
}

function styleOf(layer: ClusterLayer | DocumentLayer): Record<string, unknown> {
  const common = {
    fillColor: STATIC({ color: layer.color }),
    lineColor: STATIC({ color: '#FFFFFF' }),
    lineWidth: STATIC({ size: 1 }),
    symbolizeAs: { options: { value: 'circle' } },
  };
  if (layer.kind === 'documents') return { type: 'VECTOR', isTimeAware: true, properties: { ...common, iconSize: STATIC({ size: 6 }) } };
  const byCount = { field: { name: 'doc_count', origin: 'source' }, fieldMetaOptions: { isEnabled: true, sigma: 3 } };
  return {
    type: 'VECTOR',
    isTimeAware: true,
    properties: {
      ...common,
      iconSize: { type: 'DYNAMIC', options: { ...byCount, minSize: 7, maxSize: 32 } },
      labelText: { type: 'DYNAMIC', options: { field: byCount.field } },
    },
  };
}

export function geoMap(spec: GeoMapSpec): SavedObject {
  const references: SavedObjectReference[] = [];
  const layers: Array<Record<string, unknown>> = [
    {
      id: 'basemap',
      label: null,
      type: 'EMS_VECTOR_TILE',
      sourceDescriptor: { type: 'EMS_TMS', isAutoSelect: true, lightModeDefault: 'road_map_desaturated' },
      style: { type: 'EMS_VECTOR_TILE', color: '' },
      alpha: 1,
      visible: true,
      minZoom: 0,
      maxZoom: 24,
      includeInFitToBounds: true,
    },
  ];
  for (const layer of spec.layers) {
    // The name Kibana's own reference extraction gives a layer's data view, by layer position.
    const refName = `layer_${layers.length}_source_index_pattern`;
    references.push({ name: refName, type: 'index-pattern', id: layer.dataView.id });
    layers.push({
      id: layer.id,
      label: layer.label,
      type: 'GEOJSON_VECTOR',
      sourceDescriptor: sourceOf(layer, refName),
      style: styleOf(layer),
      alpha: 0.8,
      visible: true,
      minZoom: layer.minZoom,
      maxZoom: layer.maxZoom,
      includeInFitToBounds: true,
    });
  }
  const mapState = {
    zoom: 1.4,
    center: { lon: 0, lat: 20 },
    timeFilters: { from: 'now-24h', to: 'now' },
    refreshConfig: { isPaused: true, interval: 0 },
    query: kuery(),
    filters: [],
    settings: { autoFitToDataBounds: false },
  };
  return savedObject(
    'map',
    spec.id,
    {
      title: spec.title,
      description: spec.description,
      layerListJSON: JSON.stringify(layers),
      mapStateJSON: JSON.stringify(mapState),
      uiStateJSON: JSON.stringify({ isLayerTOCOpen: true, openTOCDetails: [] }),
    },
    references,
  );
}
