// Golden test: every bundled fixture capture, read by sidetap, gives exactly the exchanges the
// generator wrote into it (fixtures/truth/*.json), and the flags the scenario calls for.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpExchange } from '@sidetap/core';
import { httpExchangeSchema } from '@sidetap/core';
import { captureToArray, WHOLE_BODIES } from './helpers/captureToArray';

interface TruthExchange {
  client: string;
  server: string;
  method: string;
  target: string;
  host?: string;
  status: number | null;
  requestBodyBytes: number;
  responseBodyBytes: number;
  requestBodySha256?: string;
  responseBodySha256?: string;
  flags: string[];
}

interface Truth {
  scenario: string;
  file: string;
  exchanges: TruthExchange[];
}

const root = join(__dirname, '..');
const truthDir = join(root, 'fixtures/truth');
const truths: Truth[] = readdirSync(truthDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(truthDir, f), 'utf8')) as Truth);

const sha = (s: string | undefined): string => createHash('sha256').update(Buffer.from(s ?? '', 'utf8')).digest('hex');
const endpoint = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
const keyOf = (client: string, method: string, target: string): string => `${client} ${method} ${target}`;

function fixturePath(file: string): string {
  return file.startsWith('/') ? file : join(root, file.startsWith('fixtures/') ? file : join('fixtures/pcaps', file));
}

describe('bundled fixtures match the generator ground truth', () => {
  it('has fixtures to check', () => {
    expect(truths.length).toBeGreaterThanOrEqual(15);
  });

  it.each(truths.map((t) => [t.scenario, t] as const))('%s', async (_name, truth) => {
    const { exchanges } = await captureToArray([fixturePath(truth.file)], WHOLE_BODIES);
    for (const ex of exchanges) expect(httpExchangeSchema.safeParse(ex).success).toBe(true);
    expect(exchanges).toHaveLength(truth.exchanges.length);

    const ours = new Map<string, HttpExchange[]>();
    for (const ex of exchanges) {
      const k = keyOf(endpoint(ex.source.ip, ex.source.port), ex.http.request.method, ex.url.original);
      ours.set(k, [...(ours.get(k) ?? []), ex]);
    }
    for (const want of truth.exchanges) {
      const client = want.client;
      const list = ours.get(keyOf(client, want.method, want.target));
      expect({ missing: keyOf(client, want.method, want.target), found: list !== undefined && list.length > 0 }).toEqual({
        missing: keyOf(client, want.method, want.target),
        found: true,
      });
      const got = list?.shift();
      if (!got) continue;
      const context = `${truth.scenario}: ${want.method} ${want.target}`;
      expect({ context, status: got.http.response?.status_code ?? null }).toEqual({ context, status: want.status });
      expect({ context, requestBytes: got.http.request.body.bytes }).toEqual({ context, requestBytes: want.requestBodyBytes });
      if (want.status !== null) {
        expect({ context, responseBytes: got.http.response?.body.bytes }).toEqual({ context, responseBytes: want.responseBodyBytes });
      }
      if (want.host !== undefined) expect({ context, host: got.url.domain }).toEqual({ context, host: want.host });
      if (want.responseBodySha256 !== undefined && want.responseBodyBytes > 0 && !want.flags.includes('gap')) {
        expect({ context, body: sha(got.http.response?.body.content) }).toEqual({ context, body: want.responseBodySha256 });
      }
      for (const flag of want.flags) expect({ context, flags: got.sidetap.capture.flags }).toEqual({ context, flags: expect.arrayContaining([flag]) });
    }
  });
});
