// The OpenAPI spec given to replay reaches protocol_checks: a method the spec does not declare
// for an endpoint is reported as unusual_method, one it declares is not.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Finding } from '@sidetap/core';
import { main } from '@sidetap/cli';
import { readStoreRecordsSync } from '@sidetap/indexer';

const root = join(__dirname, '..');
const capture = join(root, 'fixtures/pcaps/sessions.pcap');
const work = mkdtempSync(join(tmpdir(), 'sidetap-spec-methods-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function replay(spec: string, store: string): Promise<Finding[]> {
  const out = new PassThrough();
  out.resume();
  process.env.SIDETAP_REDACTION_KEY = 'spec-methods-test-key-0123456789';
  const code = await main(['replay', capture, '--store', store, '--spec', spec], { stdout: out, stderr: { isTTY: false, write: () => true } });
  expect(code).toBe(0);
  return readStoreRecordsSync<Finding>(store, 'alert');
}

function spec(loginMethod: string): string {
  const file = join(work, `${loginMethod}.yaml`);
  writeFileSync(
    file,
    [
      'openapi: 3.0.3',
      'info: { title: shop, version: "1" }',
      'servers: [{ url: "https://api.example.com/api/v1" }]',
      'paths:',
      '  /products/{productId}:',
      '    get: { responses: { "200": { description: ok } } }',
      '  /auth/login:',
      `    ${loginMethod}: { responses: { "200": { description: ok } } }`,
      '  /auth/refresh:',
      '    post: { responses: { "200": { description: ok } } }',
    ].join('\n'),
  );
  return file;
}

it('reports a method the spec does not declare for the endpoint, and not one it does', async () => {
  const undeclared = (await replay(spec('put'), join(work, 'put'))).filter((f) => f.rule.id === 'unusual_method.not_in_spec');
  expect(undeclared.length).toBeGreaterThan(0);
  expect(undeclared.every((f) => f.sidetap.endpoint === '/api/v1/auth/login')).toBe(true);
  const declared = (await replay(spec('post'), join(work, 'post'))).filter((f) => f.rule.id === 'unusual_method.not_in_spec');
  expect(declared).toEqual([]);
});
