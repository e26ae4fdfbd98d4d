// Imports the saved objects under deploy/kibana (data views and dashboards) through Kibana's
// saved-objects import API, overwriting earlier copies so a re-run updates them.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export interface KibanaImportOptions {
  /** Kibana's base URL, with a `/s/<space>` suffix for a space other than the default. */
  url: string;
  apiKey?: string;
  username?: string;
  password?: string;
  fetch?: typeof fetch;
  /** Data view made Kibana's default unless one is already chosen (the findings view). */
  defaultDataView?: string;
}

export interface KibanaImportResult {
  file: string;
  imported: number;
}

/** Kibana answered but refused (part of) an import; the message names the file and the objects. */
export class KibanaImportError extends Error {}

interface ImportResponse {
  success?: boolean;
  successCount?: number;
  errors?: Array<{ id?: string; type?: string; error?: { type?: string; message?: string } }>;
  message?: string;
}

export async function importKibanaObjects(files: readonly string[], options: KibanaImportOptions): Promise<KibanaImportResult[]> {
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { 'kbn-xsrf': 'sidetap' };
  if (options.apiKey !== undefined) headers['authorization'] = `ApiKey ${options.apiKey}`;
  else if (options.username !== undefined) headers['authorization'] = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  const endpoint = `${options.url.replace(/\/+$/, '')}/api/saved_objects/_import?overwrite=true`;
  const results: KibanaImportResult[] = [];
  for (const file of files) {
    const form = new FormData();
    form.append('file', new Blob([await readFile(file)], { type: 'application/ndjson' }), basename(file));
    const res = await doFetch(endpoint, { method: 'POST', headers, body: form });
    const text = await res.text();
    let body: ImportResponse;
    try {
      body = JSON.parse(text) as ImportResponse;
    } catch {
      throw new KibanaImportError(`${file}: Kibana at ${options.url} answered ${res.status} with something that is not JSON (${text.slice(0, 120)})`);
    }
    if (!res.ok) throw new KibanaImportError(`${file}: Kibana at ${options.url} refused the import with ${res.status}: ${body.message ?? text.slice(0, 200)}`);
    if (body.success !== true) {
      const failed = (body.errors ?? []).map((e) => `${e.type ?? '?'} ${e.id ?? '?'} (${e.error?.type ?? e.error?.message ?? 'error'})`);
      throw new KibanaImportError(`${file}: Kibana imported ${body.successCount ?? 0} objects and refused ${failed.length}: ${failed.slice(0, 5).join(', ')}`);
    }
    results.push({ file, imported: body.successCount ?? 0 });
  }
  if (options.defaultDataView !== undefined) {
    // `force: false`: a default the team already chose stays theirs.
    const res = await doFetch(`${options.url.replace(/\/+$/, '')}/api/data_views/default`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ data_view_id: options.defaultDataView, force: false }),
    });
    if (!res.ok) throw new KibanaImportError(`Kibana at ${options.url} imported the objects but refused to make ${options.defaultDataView} the default data view (${res.status})`);
  }
  return results;
}
