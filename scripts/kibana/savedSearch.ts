// Saved searches (Discover sessions): document tables with chosen columns, the way a dashboard
// shows one actor's requests in order.
import { kuery, savedObject } from './savedObject';
import type { DataViewRef, SavedObject } from './savedObject';

export interface SavedSearchSpec {
  id: string;
  title: string;
  description: string;
  dataView: DataViewRef;
  columns: string[];
  sort: Array<[field: string, direction: 'asc' | 'desc']>;
  query?: string;
}

const INDEX_REF = 'kibanaSavedObjectMeta.searchSourceJSON.index';

export function savedSearch(spec: SavedSearchSpec): SavedObject {
  const searchSource = { query: kuery(spec.query), filter: [], indexRefName: INDEX_REF };
  return savedObject(
    'search',
    spec.id,
    {
      title: spec.title,
      description: spec.description,
      columns: spec.columns,
      sort: spec.sort,
      grid: {},
      hideChart: false,
      isTextBasedQuery: false,
      kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify(searchSource) },
    },
    [{ name: INDEX_REF, type: 'index-pattern', id: spec.dataView.id }],
  );
}
