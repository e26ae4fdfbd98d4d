// Renders the NDJSON files under deploy/kibana. Kibana's import checks that every reference
// resolves in the same file or in Kibana already, so files are named to import in name order:
// data views first, and the actor drill-down before the dashboard whose drilldown opens it.
import { actorDrilldown } from './dashboards/actorDrilldown';
import { dataViews } from './dashboards/dataViews';
import { findingsOverTime } from './dashboards/findingsOverTime';
import { owaspApiTop10 } from './dashboards/owaspApiTop10';
import { sourceGeography } from './dashboards/sourceGeography';
import { topActorsEndpoints } from './dashboards/topActorsEndpoints';
import type { SavedObject } from './savedObject';

export const KIBANA_DIR = 'deploy/kibana';

const FILES: Record<string, () => SavedObject[]> = {
  '00-data-views.ndjson': dataViews,
  '10-actor-drilldown.ndjson': actorDrilldown,
  '20-findings-over-time.ndjson': findingsOverTime,
  '30-owasp-api-top-10.ndjson': owaspApiTop10,
  '40-top-actors-and-endpoints.ndjson': topActorsEndpoints,
  '50-source-geography.ndjson': sourceGeography,
};

/** File name → its NDJSON text: one saved object per line. */
export function renderKibanaFiles(): Record<string, string> {
  return Object.fromEntries(Object.entries(FILES).map(([name, build]) => [name, build().map((o) => `${JSON.stringify(o)}\n`).join('')]));
}
