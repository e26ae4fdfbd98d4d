// Checks NDJSON saved-object files the way no Kibana here can: every line parses into an object
// with id, type and attributes; every reference resolves to an object imported no later (same
// file or one earlier in name order); references and what uses them agree one to one; and every
// field a panel, control, search or map layer uses exists in the mapping of its data view's data
// stream with a type that supports the use (Lens cannot split by a text-only field, nor take the
// maximum of a keyword). Reads only the files, never the code that generated them.
import type { EsObjectMapping } from '@sidetap/core';

/** The mapping of the data stream a data view title (index pattern) covers, if sidetap writes one. */
export type MappingOf = (indexPattern: string) => EsObjectMapping | undefined;

type Need = 'any' | 'aggregatable' | 'numeric' | 'date' | 'geo_point';

const SATISFIES: Record<Need, ReadonlySet<string>> = {
  any: new Set(['keyword', 'match_only_text', 'long', 'float', 'date', 'ip', 'boolean', 'geo_point', 'flattened']),
  aggregatable: new Set(['keyword', 'long', 'float', 'date', 'ip', 'boolean']),
  numeric: new Set(['long', 'float']),
  date: new Set(['date']),
  geo_point: new Set(['geo_point']),
};

const NEED_OF_LENS_OPERATION: Record<string, Need> = {
  terms: 'aggregatable',
  unique_count: 'aggregatable',
  last_value: 'any',
  date_histogram: 'date',
  max: 'numeric',
  min: 'numeric',
  average: 'numeric',
  sum: 'numeric',
  median: 'numeric',
  percentile: 'numeric',
};

/** Newest migration version an object may claim: Kibana 8.9 is the oldest that imports them. */
export const NEWEST_TYPE_MIGRATION = '8.9.0';
export const CORE_MIGRATION = '8.8.0';

interface Ref {
  name: string;
  type: string;
  id: string;
}

interface Obj {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  references: Ref[];
  typeMigrationVersion?: unknown;
  coreMigrationVersion?: unknown;
}

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

function flattenMapping(mapping: EsObjectMapping, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [name, m] of Object.entries(mapping.properties)) {
    const path = prefix + name;
    if ('properties' in m) {
      out.set(path, 'object');
      flattenMapping(m, `${path}.`, out);
    } else {
      out.set(path, m.type);
      if ('fields' in m) for (const [sub, s] of Object.entries(m.fields)) out.set(`${path}.${sub}`, s.type);
    }
  }
  return out;
}

/** Field names a KQL query compares (`a.b: x`, `c >= 3`), quoted values removed first. */
export function kqlFields(query: string): string[] {
  const bare = query.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...bare.matchAll(/([A-Za-z_@][\w.@]*)\s*(?::|<=|>=|<|>)/g)].map((m) => m[1]!);
}

function semverAtMost(version: string, max: string): boolean {
  const a = version.split('.').map(Number);
  const b = max.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return true;
}

function parseJsonAttr(o: Obj, attr: string, problems: string[], where: string): unknown {
  const holder = attr.startsWith('kibanaSavedObjectMeta.') ? o.attributes['kibanaSavedObjectMeta'] : o.attributes;
  const key = attr.replace('kibanaSavedObjectMeta.', '');
  const text = isRecord(holder) ? holder[key] : undefined;
  if (typeof text !== 'string') {
    problems.push(`${where}: attributes.${attr} is missing or not a string`);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    problems.push(`${where}: attributes.${attr} is not JSON (${(err as Error).message})`);
    return undefined;
  }
}

export function checkKibanaFiles(files: Record<string, string>, mappingOf: MappingOf): string[] {
  const problems: string[] = [];
  const objects: Array<{ file: string; obj: Obj; where: string }> = [];
  const available = new Map<string, number>(); // `${type}/${id}` → index of the file that brings it
  const fileNames = Object.keys(files).sort();
  fileNames.forEach((file, fileIndex) => {
    files[file]!.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${file}:${i + 1}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (err) {
        problems.push(`${where}: not JSON (${(err as Error).message})`);
        return;
      }
      if (!isRecord(parsed) || typeof parsed['id'] !== 'string' || parsed['id'] === '' || typeof parsed['type'] !== 'string' || !isRecord(parsed['attributes'])) {
        problems.push(`${where}: expected an object with a string id, a string type and an attributes object`);
        return;
      }
      const refs = parsed['references'];
      if (!Array.isArray(refs) || !refs.every((r) => isRecord(r) && typeof r['name'] === 'string' && typeof r['type'] === 'string' && typeof r['id'] === 'string')) {
        problems.push(`${where}: references must be a list of {name, type, id}`);
        return;
      }
      const obj = parsed as unknown as Obj;
      const key = obj.id;
      if (objects.some((o) => o.obj.id === key)) problems.push(`${where}: id ${key} is used by another object too`);
      objects.push({ file, obj, where: `${where} (${obj.type} ${obj.id})` });
      available.set(`${obj.type}/${obj.id}`, fileIndex);
    });
  });

  const dataViews = new Map<string, Map<string, string> | undefined>();
  for (const { obj } of objects) {
    if (obj.type !== 'index-pattern') continue;
    const title = obj.attributes['title'];
    const mapping = typeof title === 'string' ? mappingOf(title) : undefined;
    dataViews.set(obj.id, mapping === undefined ? undefined : flattenMapping(mapping));
  }

  for (const { file, obj, where } of objects) {
    const fileIndex = fileNames.indexOf(file);
    if (obj.coreMigrationVersion !== CORE_MIGRATION) problems.push(`${where}: coreMigrationVersion must be ${CORE_MIGRATION}`);
    const tmv = obj.typeMigrationVersion;
    if (typeof tmv !== 'string' || !/^\d+\.\d+\.\d+$/.test(tmv) || !semverAtMost(tmv, NEWEST_TYPE_MIGRATION)) {
      problems.push(`${where}: typeMigrationVersion must be a version no newer than ${NEWEST_TYPE_MIGRATION}, got ${JSON.stringify(tmv)}`);
    }
    const names = new Set<string>();
    for (const r of obj.references) {
      if (names.has(r.name)) problems.push(`${where}: two references named ${r.name}`);
      names.add(r.name);
      const at = available.get(`${r.type}/${r.id}`);
      if (at === undefined) problems.push(`${where}: reference ${r.name} → ${r.type} ${r.id} is in no file`);
      else if (at > fileIndex) problems.push(`${where}: reference ${r.name} → ${r.type} ${r.id} is only imported later, by ${fileNames[at]}`);
    }
    const used = new Set<string>();
    const ref = (name: string, type: string | undefined, context: string): Ref | undefined => {
      used.add(name);
      const r = obj.references.find((x) => x.name === name);
      if (r === undefined) problems.push(`${where}: ${context} names reference ${name}, which the object does not have`);
      else if (type !== undefined && r.type !== type) problems.push(`${where}: reference ${name} is a ${r.type}, expected a ${type}`);
      return r;
    };
    // An id written inline (the form Kibana reads before it extracts references) must name a data view too.
    const inline = (id: unknown, context: string): string | undefined => {
      if (id === undefined) return undefined;
      if (typeof id === 'string' && available.has(`index-pattern/${id}`)) return id;
      problems.push(`${where}: ${context} names data view ${String(id)}, which is in no file`);
      return undefined;
    };
    const field = (dataViewId: string | undefined, name: unknown, need: Need, context: string): void => {
      if (dataViewId === undefined) return;
      if (typeof name !== 'string') {
        problems.push(`${where}: ${context}: expected a field name, got ${JSON.stringify(name)}`);
        return;
      }
      if (!dataViews.has(dataViewId)) {
        problems.push(`${where}: ${context}: data view ${dataViewId} is not among the saved objects`);
        return;
      }
      const fields = dataViews.get(dataViewId);
      if (fields === undefined) {
        problems.push(`${where}: ${context}: data view ${dataViewId} covers no data stream sidetap writes`);
        return;
      }
      const type = fields.get(name);
      if (type === undefined) problems.push(`${where}: ${context}: field ${name} is not in the mapping of data view ${dataViewId}`);
      else if (!SATISFIES[need].has(type)) problems.push(`${where}: ${context}: field ${name} is ${type}, which cannot be used as ${need}`);
    };

    switch (obj.type) {
      case 'index-pattern': {
        field(obj.id, obj.attributes['timeFieldName'], 'date', 'timeFieldName');
        const formats = parseJsonAttr(obj, 'fieldFormatMap', problems, where);
        if (isRecord(formats)) for (const f of Object.keys(formats)) field(obj.id, f, 'any', 'fieldFormatMap');
        break;
      }
      case 'lens':
        checkLens(obj, where, problems, ref, field, inline);
        break;
      case 'search': {
        const source = parseJsonAttr(obj, 'kibanaSavedObjectMeta.searchSourceJSON', problems, where);
        const dv = isRecord(source) && typeof source['indexRefName'] === 'string' ? ref(source['indexRefName'], 'index-pattern', 'searchSourceJSON')?.id : inline(isRecord(source) ? source['index'] : undefined, 'searchSourceJSON');
        if (dv === undefined && !(isRecord(source) && ('index' in source || 'indexRefName' in source))) problems.push(`${where}: searchSourceJSON names no data view`);
        for (const c of strings(obj.attributes['columns'])) field(dv, c, 'any', 'column');
        for (const s of Array.isArray(obj.attributes['sort']) ? obj.attributes['sort'] : []) field(dv, Array.isArray(s) ? s[0] : s, 'aggregatable', 'sort');
        const query = isRecord(source) && isRecord(source['query']) ? source['query']['query'] : undefined;
        if (typeof query === 'string') for (const f of kqlFields(query)) field(dv, f, 'any', 'query');
        break;
      }
      case 'map':
        checkMap(obj, where, problems, ref, field, inline);
        break;
      case 'dashboard':
        checkDashboard(obj, where, problems, ref, field, inline);
        break;
      default:
        problems.push(`${where}: type ${obj.type} is not one sidetap ships (index-pattern, lens, search, map, dashboard)`);
    }
    for (const r of obj.references) if (!used.has(r.name)) problems.push(`${where}: reference ${r.name} is used by nothing in the object`);
  }
  return problems;
}

type RefFn = (name: string, type: string | undefined, context: string) => Ref | undefined;
type FieldFn = (dataViewId: string | undefined, name: unknown, need: Need, context: string) => void;
type InlineFn = (id: unknown, context: string) => string | undefined;

function checkLens(obj: Obj, where: string, problems: string[], ref: RefFn, field: FieldFn, inline: InlineFn): void {
  const state = obj.attributes['state'];
  const layers = isRecord(state) && isRecord(state['datasourceStates']) && isRecord(state['datasourceStates']['formBased']) ? state['datasourceStates']['formBased']['layers'] : undefined;
  if (!isRecord(layers) || Object.keys(layers).length === 0) {
    problems.push(`${where}: state.datasourceStates.formBased.layers is missing`);
    return;
  }
  const columnIds = new Set<string>();
  let firstDataView: string | undefined;
  for (const [layerId, layer] of Object.entries(layers)) {
    const inlineId = isRecord(layer) ? layer['indexPatternId'] : undefined;
    const dv = inlineId !== undefined ? inline(inlineId, `layer ${layerId}`) : ref(`indexpattern-datasource-layer-${layerId}`, 'index-pattern', `layer ${layerId}`)?.id;
    firstDataView ??= dv;
    const columns = isRecord(layer) && isRecord(layer['columns']) ? layer['columns'] : {};
    const order = isRecord(layer) ? strings(layer['columnOrder']) : [];
    if (order.length !== Object.keys(columns).length || !order.every((c) => c in columns)) problems.push(`${where}: layer ${layerId}: columnOrder does not list exactly its columns`);
    for (const [id, c] of Object.entries(columns)) {
      columnIds.add(id);
      if (!isRecord(c)) continue;
      const op = String(c['operationType']);
      if (op === 'count') {
        if (c['sourceField'] !== '___records___') field(dv, c['sourceField'], 'any', `column ${id}`);
      } else {
        const need = NEED_OF_LENS_OPERATION[op];
        if (need === undefined) problems.push(`${where}: column ${id}: operation ${op} is not one this check knows`);
        else field(dv, c['sourceField'], need, `column ${id} (${op})`);
      }
      if (isRecord(c['filter']) && typeof c['filter']['query'] === 'string') for (const f of kqlFields(c['filter']['query'])) field(dv, f, 'any', `column ${id} filter`);
      const params = c['params'];
      if (isRecord(params) && isRecord(params['orderBy']) && params['orderBy']['type'] === 'column' && !(String(params['orderBy']['columnId']) in columns)) {
        problems.push(`${where}: column ${id} is ranked by column ${String(params['orderBy']['columnId'])}, which the layer lacks`);
      }
    }
  }
  if (isRecord(state) && isRecord(state['query']) && typeof state['query']['query'] === 'string') for (const f of kqlFields(state['query']['query'])) field(firstDataView, f, 'any', 'query');
  // Every column the visualization draws must exist in the datasource.
  const vis = isRecord(state) ? state['visualization'] : undefined;
  const accessors: string[] = [];
  const collect = (v: unknown): void => {
    if (!isRecord(v)) return;
    for (const k of ['xAccessor', 'splitAccessor', 'metricAccessor']) if (typeof v[k] === 'string') accessors.push(v[k]);
    for (const k of ['accessors', 'primaryGroups', 'metrics']) accessors.push(...strings(v[k]));
    if (Array.isArray(v['columns'])) for (const c of v['columns']) if (isRecord(c) && typeof c['columnId'] === 'string') accessors.push(c['columnId']);
    if (isRecord(v['sorting']) && typeof v['sorting']['columnId'] === 'string') accessors.push(v['sorting']['columnId']);
    if (typeof v['layerId'] === 'string' && !(v['layerId'] in layers)) problems.push(`${where}: visualization draws layer ${v['layerId']}, which the datasource lacks`);
    if (Array.isArray(v['layers'])) v['layers'].forEach(collect);
  };
  collect(vis);
  if (accessors.length === 0) problems.push(`${where}: the visualization draws no column`);
  for (const a of accessors) if (!columnIds.has(a)) problems.push(`${where}: the visualization draws column ${a}, which no layer has`);
}

function checkMap(obj: Obj, where: string, problems: string[], ref: RefFn, field: FieldFn, inline: InlineFn): void {
  const layers = parseJsonAttr(obj, 'layerListJSON', problems, where);
  parseJsonAttr(obj, 'mapStateJSON', problems, where);
  if (!Array.isArray(layers)) return;
  for (const layer of layers) {
    if (!isRecord(layer) || !isRecord(layer['sourceDescriptor'])) {
      problems.push(`${where}: a map layer without a sourceDescriptor`);
      continue;
    }
    const source = layer['sourceDescriptor'];
    const context = `layer ${String(layer['id'])}`;
    if (typeof source['indexPatternRefName'] === 'string' || source['indexPatternId'] !== undefined) {
      const dv = typeof source['indexPatternRefName'] === 'string' ? ref(source['indexPatternRefName'], 'index-pattern', context)?.id : inline(source['indexPatternId'], context);
      field(dv, source['geoField'], 'geo_point', `${context} geoField`);
      for (const m of Array.isArray(source['metrics']) ? source['metrics'] : []) {
        if (isRecord(m) && m['type'] !== 'count') field(dv, m['field'], m['type'] === 'cardinality' ? 'aggregatable' : 'numeric', `${context} metric`);
      }
      for (const t of strings(source['tooltipProperties'])) field(dv, t, 'any', `${context} tooltip`);
      if (source['sortField'] !== undefined) field(dv, source['sortField'], 'aggregatable', `${context} sortField`);
    } else if (String(source['type']).startsWith('ES_')) {
      problems.push(`${where}: ${context} reads Elasticsearch but names no data view`);
    }
    for (const join of Array.isArray(layer['joins']) ? layer['joins'] : []) {
      const right = isRecord(join) ? join['right'] : undefined;
      if (!isRecord(right) || typeof right['indexPatternRefName'] !== 'string') continue;
      const dv = ref(right['indexPatternRefName'], 'index-pattern', `${context} join`)?.id;
      field(dv, right['term'], 'aggregatable', `${context} join term`);
    }
  }
}

const GRID_COLUMNS = 48;

function checkDashboard(obj: Obj, where: string, problems: string[], ref: RefFn, field: FieldFn, inline: InlineFn): void {
  const panels = parseJsonAttr(obj, 'panelsJSON', problems, where);
  parseJsonAttr(obj, 'optionsJSON', problems, where);
  parseJsonAttr(obj, 'kibanaSavedObjectMeta.searchSourceJSON', problems, where);
  if (!Array.isArray(panels) || panels.length === 0) {
    problems.push(`${where}: panelsJSON holds no panels`);
    return;
  }
  const seen = new Set<string>();
  const boxes: Array<{ key: string; x: number; y: number; w: number; h: number }> = [];
  for (const p of panels) {
    if (!isRecord(p) || typeof p['panelIndex'] !== 'string' || !isRecord(p['gridData'])) {
      problems.push(`${where}: a panel without panelIndex or gridData`);
      continue;
    }
    const key = p['panelIndex'];
    if (seen.has(key)) problems.push(`${where}: two panels with panelIndex ${key}`);
    seen.add(key);
    const g = p['gridData'];
    if (g['i'] !== key) problems.push(`${where}: panel ${key}: gridData.i must equal panelIndex`);
    const [x, y, w, h] = [g['x'], g['y'], g['w'], g['h']].map(Number) as [number, number, number, number];
    if (!(x >= 0 && y >= 0 && w >= 1 && h >= 1 && x + w <= GRID_COLUMNS)) problems.push(`${where}: panel ${key} does not fit the ${GRID_COLUMNS}-column grid`);
    for (const b of boxes) if (x < b.x + b.w && b.x < x + w && y < b.y + b.h && b.y < y + h) problems.push(`${where}: panels ${b.key} and ${key} overlap`);
    boxes.push({ key, x, y, w, h });
    if (typeof p['panelRefName'] !== 'string') problems.push(`${where}: panel ${key} embeds nothing by reference`);
    else ref(`${key}:${p['panelRefName']}`, String(p['type']), `panel ${key}`);
    const events = isRecord(p['embeddableConfig']) && isRecord(p['embeddableConfig']['enhancements']) && isRecord(p['embeddableConfig']['enhancements']['dynamicActions'])
      ? p['embeddableConfig']['enhancements']['dynamicActions']['events']
      : [];
    for (const e of Array.isArray(events) ? events : []) {
      if (!isRecord(e) || !isRecord(e['action'])) continue;
      if (e['action']['factoryId'] !== 'DASHBOARD_TO_DASHBOARD_DRILLDOWN') problems.push(`${where}: panel ${key}: drilldown ${String(e['action']['factoryId'])} is not a free (Basic license) dashboard drilldown`);
      else ref(`${key}:drilldown:DASHBOARD_TO_DASHBOARD_DRILLDOWN:${String(e['eventId'])}:dashboardId`, 'dashboard', `panel ${key} drilldown`);
    }
  }
  const controls = obj.attributes['controlGroupInput'];
  if (isRecord(controls)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(controls['panelsJSON']));
    } catch {
      problems.push(`${where}: controlGroupInput.panelsJSON is not JSON`);
    }
    if (isRecord(parsed)) {
      for (const [id, c] of Object.entries(parsed)) {
        const input = isRecord(c) ? c['explicitInput'] : undefined;
        const inlineId = isRecord(input) ? input['dataViewId'] : undefined;
        const dv = inlineId !== undefined ? inline(inlineId, `control ${id}`) : ref(`controlGroup_${id}:optionsListDataView`, 'index-pattern', `control ${id}`)?.id;
        field(dv, isRecord(input) ? input['fieldName'] : undefined, 'aggregatable', `control ${id}`);
      }
    }
  }
}
