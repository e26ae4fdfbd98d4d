// Dashboards: panels that embed saved objects by reference, laid out on Kibana's 48-column grid,
// with option-list controls and dashboard-to-dashboard drilldowns. References are derived from
// the panels here, in the names Kibana itself extracts them under, so they cannot disagree.
import { createHash } from 'node:crypto';
import { kuery, savedObject } from './savedObject';
import type { DataViewRef, SavedObject, SavedObjectReference } from './savedObject';

export interface Panel {
  /** Stable panel id (`panelIndex`), unique in its dashboard. */
  key: string;
  object: SavedObject;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Clicking a value in this panel offers to open that dashboard, filtered to the value. */
  drilldownTo?: { dashboardId: string; name: string };
}

export interface OptionsListControl {
  key: string;
  field: string;
  title: string;
  dataView: DataViewRef;
}

export interface DashboardSpec {
  id: string;
  title: string;
  description: string;
  panels: Panel[];
  controls?: OptionsListControl[];
}

const PANEL_TYPES: Record<string, string> = { lens: 'lens', search: 'search', map: 'map' };

/** Kibana keys a drilldown by a uuid-shaped event id; one hashed from its place stays the same on every render. */
function eventId(dashboardId: string, panelKey: string): string {
  const h = createHash('sha256').update(`${dashboardId}/${panelKey}/drilldown`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function dashboard(spec: DashboardSpec): SavedObject {
  const references: SavedObjectReference[] = [];
  const panels = spec.panels.map((p) => {
    const type = PANEL_TYPES[p.object.type];
    if (type === undefined) throw new Error(`${spec.id}: no dashboard panel type for a ${p.object.type}`);
    const panelRefName = `panel_${p.key}`;
    references.push({ name: `${p.key}:${panelRefName}`, type: p.object.type, id: p.object.id });
    const events = [];
    if (p.drilldownTo !== undefined) {
      const id = eventId(spec.id, p.key);
      events.push({
        eventId: id,
        triggers: ['FILTER_TRIGGER'],
        action: {
          factoryId: 'DASHBOARD_TO_DASHBOARD_DRILLDOWN',
          name: p.drilldownTo.name,
          config: { useCurrentFilters: true, useCurrentDateRange: true, openInNewTab: false },
        },
      });
      references.push({
        name: `${p.key}:drilldown:DASHBOARD_TO_DASHBOARD_DRILLDOWN:${id}:dashboardId`,
        type: 'dashboard',
        id: p.drilldownTo.dashboardId,
      });
    }
    return {
      version: '8.9.0',
      type,
      gridData: { x: p.x, y: p.y, w: p.w, h: p.h, i: p.key },
      panelIndex: p.key,
      embeddableConfig: { enhancements: events.length === 0 ? {} : { dynamicActions: { events } } },
      panelRefName,
    };
  });
  const attributes: Record<string, unknown> = {
    title: spec.title,
    description: spec.description,
    version: 1,
    // The time picker stays where the user has it: replayed captures carry their own event time.
    timeRestore: false,
    optionsJSON: JSON.stringify({ useMargins: true, syncColors: false, syncCursor: true, syncTooltips: false, hidePanelTitles: false }),
    panelsJSON: JSON.stringify(panels),
    kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: kuery(), filter: [] }) },
  };
  if (spec.controls !== undefined) {
    const controlPanels = Object.fromEntries(
      spec.controls.map((c, order) => {
        references.push({ name: `controlGroup_${c.key}:optionsListDataView`, type: 'index-pattern', id: c.dataView.id });
        const explicitInput = {
          id: c.key,
          fieldName: c.field,
          title: c.title,
          singleSelect: true,
          selectedOptions: [],
          searchTechnique: 'prefix',
          sort: { by: '_count', direction: 'desc' },
          enhancements: {},
        };
        return [c.key, { order, width: 'large', grow: true, type: 'optionsListControl', explicitInput }];
      }),
    );
    attributes['controlGroupInput'] = {
      controlStyle: 'oneLine',
      chainingSystem: 'HIERARCHICAL',
      showApplySelections: false,
      ignoreParentSettingsJSON: JSON.stringify({ ignoreFilters: false, ignoreQuery: false, ignoreTimerange: false, ignoreValidations: false }),
      panelsJSON: JSON.stringify(controlPanels),
    };
  }
  return savedObject('dashboard', spec.id, attributes, references);
}
