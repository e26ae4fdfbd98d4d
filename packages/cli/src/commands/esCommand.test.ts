import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { KIBANA_OBJECTS_DIR } from './esCommand';
import { main } from '../main';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(argv, { stdout: stdout as never, stderr: stderr as never });
  return { code, out, err };
}

describe('sidetap es', () => {
  it.each([
    [['es'], 'sidetap es: expected the sub-command setup'],
    [['es', 'install'], 'sidetap es: expected the sub-command setup'],
    [['es', 'setup', '--node', 'ftp://127.0.0.1'], '--node: expected an http or https URL, got "ftp://127.0.0.1".'],
    [['es', 'setup', '--node', 'http://elastic:secret@127.0.0.1:9200'], '--node: put credentials in --api-key or the config'],
    [['es', 'setup', '--namespace', 'Prod-EU'], '--namespace: expected lower-case letters, digits and underscores, got "Prod-EU".'],
    [['es', 'setup', '--kibana', 'http://127.0.0.1:5601', '--kibana-objects', '/nonexistent'], '--kibana-objects: /nonexistent is not a readable directory'],
  ])('%j is a usage error', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('says in one line that the node cannot be reached', async () => {
    const r = await run(['es', 'setup', '--node', 'http://127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^sidetap es setup: cannot reach http:\/\/127\.0\.0\.1:1 \(/);
  });

  it('finds the shipped saved objects, and the findings data view it makes the default is among them', () => {
    const files = readdirSync(KIBANA_OBJECTS_DIR).filter((f) => f.endsWith('.ndjson'));
    expect(files.length).toBeGreaterThan(0);
    const objects = files.flatMap((f) => readFileSync(join(KIBANA_OBJECTS_DIR, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; type: string }));
    expect(objects).toContainEqual(expect.objectContaining({ id: 'sidetap-findings', type: 'index-pattern' }));
  });
});
