import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importKibanaObjects, KibanaImportError } from './kibanaImport';

interface Sent {
  url: string;
  headers: Record<string, string>;
  form: FormData;
}

function kibana(answer: (sent: Sent) => { status: number; body: unknown }): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fake = (async (url: string, init: { headers: Record<string, string>; body: FormData }) => {
    const s = { url, headers: init.headers, form: init.body };
    sent.push(s);
    const a = answer(s);
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { fetch: fake, sent };
}

function objectsFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sidetap-kibana-'));
  const file = join(dir, 'dashboards.ndjson');
  writeFileSync(file, '{"type":"index-pattern","id":"sidetap-findings","attributes":{"title":"logs-sidetap.findings-*"}}\n');
  return file;
}

describe('importKibanaObjects', () => {
  it('posts each file to the saved-objects import API as multipart, overwriting, with the xsrf header and API key', async () => {
    const k = kibana(() => ({ status: 200, body: { success: true, successCount: 1 } }));
    const file = objectsFile();
    const result = await importKibanaObjects([file], { url: 'http://127.0.0.1:5601/s/secops/', apiKey: 'a2V5', fetch: k.fetch });
    expect(result).toEqual([{ file, imported: 1 }]);
    expect(k.sent[0]!.url).toBe('http://127.0.0.1:5601/s/secops/api/saved_objects/_import?overwrite=true');
    expect(k.sent[0]!.headers).toMatchObject({ 'kbn-xsrf': 'sidetap', authorization: 'ApiKey a2V5' });
    const part = k.sent[0]!.form.get('file') as File;
    expect(part.name).toBe('dashboards.ndjson');
    expect(await part.text()).toContain('"sidetap-findings"');
  });

  it('makes the findings view the default data view unless one is set, after the import', async () => {
    const k = kibana(() => ({ status: 200, body: { success: true, successCount: 1, acknowledged: true } }));
    await importKibanaObjects([objectsFile()], { url: 'http://127.0.0.1:5601', fetch: k.fetch, defaultDataView: 'sidetap-findings' });
    expect(k.sent.map((s) => s.url)).toEqual(['http://127.0.0.1:5601/api/saved_objects/_import?overwrite=true', 'http://127.0.0.1:5601/api/data_views/default']);
    expect(JSON.parse(k.sent[1]!.form as unknown as string)).toEqual({ data_view_id: 'sidetap-findings', force: false });
  });

  it('names the file and the refused objects when Kibana imports only some', async () => {
    const k = kibana(() => ({
      status: 200,
      body: { success: false, successCount: 2, errors: [{ id: 'sidetap-map', type: 'map', error: { type: 'missing_references' } }] },
    }));
    const file = objectsFile();
    await expect(importKibanaObjects([file], { url: 'http://127.0.0.1:5601', fetch: k.fetch })).rejects.toThrow(
      new KibanaImportError(`${file}: Kibana imported 2 objects and refused 1: map sidetap-map (missing_references)`),
    );
  });

  it('reports an HTTP refusal with Kibana\'s own message', async () => {
    const k = kibana(() => ({ status: 401, body: { statusCode: 401, message: 'Unauthorized' } }));
    await expect(importKibanaObjects([objectsFile()], { url: 'http://127.0.0.1:5601', username: 'elastic', password: 'pw', fetch: k.fetch })).rejects.toThrow(
      /refused the import with 401: Unauthorized/,
    );
    expect(k.sent[0]!.headers['authorization']).toBe(`Basic ${Buffer.from('elastic:pw').toString('base64')}`);
  });
});
