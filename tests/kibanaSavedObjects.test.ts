// The Kibana saved objects under deploy/kibana, checked without a Kibana: they are what the
// generator in scripts/kibana renders, every line parses, every reference resolves in import
// order, and every field they use exists, with a usable type, in the Elasticsearch mapping the
// indexer installs for the data stream each data view covers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataStreamPattern, ELASTIC_KINDS, mappingsOf } from '@sidetap/indexer';
import { checkKibanaFiles, kqlFields } from '../scripts/kibana/savedObjectCheck';
import type { MappingOf } from '../scripts/kibana/savedObjectCheck';
import { KIBANA_DIR, renderKibanaFiles } from '../scripts/kibana/kibanaFiles';

const dir = join(__dirname, '..', KIBANA_DIR);

function readKibanaFiles(): Record<string, string> {
  const names = readdirSync(dir).filter((n) => n.endsWith('.ndjson'));
  return Object.fromEntries(names.map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
}

const mappingOf: MappingOf = (title) => {
  const kind = ELASTIC_KINDS.find((k) => dataStreamPattern(k) === title);
  return kind === undefined ? undefined : mappingsOf(kind);
};

type SavedObject = { id: string; type: string; attributes: Record<string, unknown>; references: Array<{ name: string; type: string; id: string }> } & Record<string, unknown>;

const files = readKibanaFiles();
const objects: SavedObject[] = Object.values(files).flatMap((text) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as SavedObject),
);
const byId = (id: string): SavedObject => {
  const o = objects.find((x) => x.id === id);
  if (o === undefined) throw new Error(`no saved object ${id}`);
  return o;
};
const dashboards = objects.filter((o) => o.type === 'dashboard');
const panelsOf = (d: SavedObject): Array<Record<string, unknown>> => JSON.parse(String(d.attributes['panelsJSON'])) as Array<Record<string, unknown>>;
const embedded = (d: SavedObject): SavedObject[] => d.references.filter((r) => r.name.includes(':panel_')).map((r) => byId(r.id));

/** The files with one object changed: a copy, so each case starts from the committed objects. */
function mutated(id: string, change: (o: SavedObject) => void, rename?: [from: string, to: string]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    const lines = text.split('\n').map((line) => {
      if (line === '') return line;
      const o = JSON.parse(line) as SavedObject;
      if (o.id !== id) return line;
      change(o);
      return JSON.stringify(o);
    });
    out[rename !== undefined && rename[0] === name ? rename[1] : name] = lines.join('\n');
  }
  return out;
}

function lensColumns(o: SavedObject): Record<string, Record<string, unknown>> {
  const state = o.attributes['state'] as { datasourceStates: { formBased: { layers: Record<string, { columns: Record<string, Record<string, unknown>> }> } } };
  return Object.values(state.datasourceStates.formBased.layers)[0]!.columns;
}

describe('deploy/kibana saved objects', () => {
  it('are exactly what scripts/kibana renders (run `npx tsx scripts/kibana/writeSavedObjects.ts`)', () => {
    const rendered = renderKibanaFiles();
    expect(Object.keys(files).sort()).toEqual(Object.keys(rendered).sort());
    for (const [name, text] of Object.entries(rendered)) expect(`${name}\n${files[name]}`).toBe(`${name}\n${text}`);
  });

  it('parse, resolve every reference in import order, and use only mapped fields of suitable types', () => {
    expect(checkKibanaFiles(files, mappingOf)).toEqual([]);
  });

  it('hold a data view per data stream, findings among them, with severity and OWASP names', () => {
    const views = objects.filter((o) => o.type === 'index-pattern');
    expect(views.map((v) => v.attributes['title']).sort()).toEqual(ELASTIC_KINDS.map((k) => dataStreamPattern(k)).sort());
    for (const v of views) expect(v.attributes['timeFieldName']).toBe('@timestamp');
    const formats = JSON.parse(String(byId('sidetap-findings').attributes['fieldFormatMap'])) as Record<string, { params: { lookupEntries: Array<{ key: string; value: string }> } }>;
    expect(formats['event.severity']?.params.lookupEntries.map((e) => e.value)).toEqual(['low', 'medium', 'high', 'critical']);
    expect(formats['sidetap.owasp_api']?.params.lookupEntries).toContainEqual({ key: 'API1:2023', value: 'API1:2023 Broken Object Level Authorization' });
  });

  it('chart findings over time by category and by severity', () => {
    const board = dashboards.find((d) => d.attributes['title'] === '[sidetap] Findings over time')!;
    const splits = embedded(board)
      .filter((o) => o.type === 'lens' && o.attributes['visualizationType'] === 'lnsXY')
      .map((o) => Object.values(lensColumns(o)).map((c) => `${String(c['operationType'])}:${String(c['sourceField'])}`));
    expect(splits).toContainEqual(expect.arrayContaining(['date_histogram:@timestamp', 'terms:rule.category']));
    expect(splits).toContainEqual(expect.arrayContaining(['date_histogram:@timestamp', 'terms:event.severity']));
  });

  it('break findings down by OWASP API Top 10 risk', () => {
    const board = dashboards.find((d) => d.attributes['title'] === '[sidetap] OWASP API Top 10')!;
    const fields = embedded(board).flatMap((o) => Object.values(lensColumns(o)).map((c) => c['sourceField']));
    expect(fields).toContain('sidetap.owasp_api');
  });

  it('map the client locations of findings and of requests', () => {
    const board = dashboards.find((d) => d.attributes['title'] === '[sidetap] Source geography')!;
    const map = embedded(board).find((o) => o.type === 'map')!;
    const layers = JSON.parse(String(map.attributes['layerListJSON'])) as Array<{ sourceDescriptor: { geoField?: string; indexPatternRefName?: string } }>;
    const located = layers.filter((l) => l.sourceDescriptor.geoField === 'source.geo.location').map((l) => map.references.find((r) => r.name === l.sourceDescriptor.indexPatternRefName)?.id);
    expect(new Set(located)).toEqual(new Set(['sidetap-findings', 'sidetap-events']));
  });

  it('let a top actor or user open the actor drill-down, which shows one actor\'s requests in order', () => {
    const top = dashboards.find((d) => d.attributes['title'] === '[sidetap] Top actors and endpoints')!;
    const actor = dashboards.find((d) => d.attributes['title'] === '[sidetap] Actor drill-down')!;
    const drilldowns = top.references.filter((r) => r.name.includes(':drilldown:DASHBOARD_TO_DASHBOARD_DRILLDOWN:'));
    expect(drilldowns.map((r) => r.id)).toEqual([actor.id, actor.id]);
    const panelKeys = drilldowns.map((r) => r.name.split(':')[0]);
    const drilledObjects = panelKeys.map((k) => byId(top.references.find((r) => r.name === `${k}:panel_${k}`)!.id));
    expect(drilledObjects.flatMap((o) => Object.values(lensColumns(o)).filter((c) => c['operationType'] === 'terms').map((c) => c['sourceField']))).toEqual(['sidetap.actor_key', 'user.name']);
    for (const p of panelsOf(top).filter((p) => panelKeys.includes(String(p['panelIndex'])))) {
      const events = (p['embeddableConfig'] as { enhancements: { dynamicActions: { events: Array<{ action: { config: Record<string, unknown> } }> } } }).enhancements.dynamicActions.events;
      expect(events[0]?.action.config).toMatchObject({ useCurrentFilters: true, useCurrentDateRange: true });
    }
    const controls = JSON.parse(String((actor.attributes['controlGroupInput'] as Record<string, unknown>)['panelsJSON'])) as Record<string, { explicitInput: { fieldName: string } }>;
    expect(Object.values(controls).map((c) => c.explicitInput.fieldName)).toEqual(['user.name', 'sidetap.actor_key']);
    const timeline = embedded(actor).find((o) => o.type === 'search' && o.references[0]?.id === 'sidetap-events')!;
    expect(timeline.attributes['sort']).toEqual([['@timestamp', 'asc']]);
    expect(timeline.attributes['columns']).toEqual(expect.arrayContaining(['sidetap.session.id', 'sidetap.session.seq', 'http.request.method', 'sidetap.endpoint', 'http.response.status_code']));
  });
});

describe('the saved-object check', () => {
  const problemsOf = (changed: Record<string, string>): string[] => checkKibanaFiles(changed, mappingOf);

  it('reads the fields a KQL query compares, ignoring quoted values', () => {
    expect(kqlFields('event.severity >= 3 and user.name: "a: b" or not rule.category:sqli')).toEqual(['event.severity', 'user.name', 'rule.category']);
  });

  it('names a field the data stream does not have', () => {
    const changed = mutated('sidetap-findings-by-category', (o) => {
      lensColumns(o)['category']!['sourceField'] = 'rule.kategory';
    });
    expect(problemsOf(changed)).toEqual([expect.stringMatching(/column category \(terms\): field rule\.kategory is not in the mapping of data view sidetap-findings/)]);
  });

  it('refuses to split by a full-text field or take the maximum of a keyword', () => {
    const changed = mutated('sidetap-findings-categories', (o) => {
      lensColumns(o)['category']!['sourceField'] = 'message.text';
      lensColumns(o)['risk']!['sourceField'] = 'rule.name';
    });
    expect(problemsOf(changed)).toEqual([
      expect.stringMatching(/field message\.text is match_only_text, which cannot be used as aggregatable/),
      expect.stringMatching(/field rule\.name is keyword, which cannot be used as numeric/),
    ]);
  });

  it('checks fields of a data view against its own data stream: sessions have no geo location', () => {
    const changed = mutated('sidetap-source-geo-map', (o) => {
      o.references = o.references.map((r) => ({ ...r, id: 'sidetap-sessions' }));
    });
    expect(problemsOf(changed).some((p) => /geoField: field source\.geo\.location is not in the mapping of data view sidetap-sessions/.test(p))).toBe(true);
  });

  it('catches a panel whose reference is missing, and a reference nothing uses', () => {
    const changed = mutated('sidetap-owasp-api-top-10', (o) => {
      o.references = o.references.filter((r) => r.name !== 'share:panel_share');
      o.references.push({ name: 'stray', type: 'index-pattern', id: 'sidetap-findings' });
    });
    expect(problemsOf(changed)).toEqual([
      expect.stringMatching(/panel share names reference share:panel_share, which the object does not have/),
      expect.stringMatching(/reference stray is used by nothing/),
    ]);
  });

  it('catches references to objects in no file or only in a later one', () => {
    const gone = mutated('sidetap-top-actors-endpoints', (o) => {
      o.references[0]!.id = 'sidetap-no-such-lens';
    });
    expect(problemsOf(gone)).toEqual([expect.stringMatching(/→ lens sidetap-no-such-lens is in no file/)]);
    const late = mutated('sidetap-findings', () => undefined, ['00-data-views.ndjson', '99-data-views.ndjson']);
    expect(problemsOf(late).length).toBeGreaterThan(10);
    expect(problemsOf(late).filter((p) => !/→ index-pattern sidetap-\w+ is only imported later, by 99-data-views\.ndjson$/.test(p))).toEqual([]);
  });

  it('catches a bad line, a duplicate id and a migration version newer than Kibana 8.9 knows', () => {
    const changed = { ...files, '60-extra.ndjson': `{"id": "x"\n${JSON.stringify(byId('sidetap-findings-total'))}\n` };
    const problems = problemsOf(changed);
    expect(problems).toContainEqual(expect.stringMatching(/^60-extra\.ndjson:1: not JSON/));
    expect(problems).toContainEqual(expect.stringMatching(/^60-extra\.ndjson:2: id sidetap-findings-total is used by another object too/));
    const newer = mutated('sidetap-findings-total', (o) => {
      o['typeMigrationVersion'] = '10.1.0';
    });
    expect(problemsOf(newer)).toEqual([expect.stringMatching(/typeMigrationVersion must be a version no newer than 8\.9\.0, got "10\.1\.0"/)]);
  });

  it('resolves data view ids written inline as well as by reference', () => {
    const changed = mutated('sidetap-findings-latest', (o) => {
      o.references = [];
      const meta = o.attributes['kibanaSavedObjectMeta'] as { searchSourceJSON: string };
      const source = JSON.parse(meta.searchSourceJSON) as Record<string, unknown>;
      delete source['indexRefName'];
      meta.searchSourceJSON = JSON.stringify({ ...source, index: 'sidetap-alerts' });
    });
    expect(problemsOf(changed)).toEqual([expect.stringMatching(/searchSourceJSON names data view sidetap-alerts, which is in no file/)]);
  });

  it('checks control fields and lets only free dashboard drilldowns through', () => {
    const changed = mutated('sidetap-actor-drilldown', (o) => {
      const input = o.attributes['controlGroupInput'] as Record<string, unknown>;
      input['panelsJSON'] = String(input['panelsJSON']).replace('"user.name"', '"user.nickname"');
    });
    expect(problemsOf(changed)).toEqual([expect.stringMatching(/control control-user: field user\.nickname is not in the mapping/)]);
    const url = mutated('sidetap-top-actors-endpoints', (o) => {
      o.attributes['panelsJSON'] = String(o.attributes['panelsJSON']).replace('"DASHBOARD_TO_DASHBOARD_DRILLDOWN"', '"URL_DRILLDOWN"');
    });
    expect(problemsOf(url)).toContainEqual(expect.stringMatching(/drilldown URL_DRILLDOWN is not a free \(Basic license\) dashboard drilldown/));
  });
});
