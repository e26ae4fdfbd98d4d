// Golden test: every bundled fixture capture, read by sidetap, gives exactly the exchanges the
// generator wrote into it (fixtures/truth/*.json), and the flags the scenario calls for.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { HttpExchange } from '@sidetap/core';
import { httpExchangeSchema } from '@sidetap/core';
import { readTruths } from '../scripts/fixtures/testHelpers';
import { captureToArray, WHOLE_BODIES } from './helpers/captureToArray';

const REDACTED_VALUE = /"h:[A-Za-z0-9_-]{22}"/;

// Flags that depend on sidetap's configuration rather than on the traffic.
const CONFIG_FLAGS = ['body_sample_capped'];

// `null` in the truth means "not asserted" (scripts/fixtures/README.md).
const root = join(__dirname, '..');
const truths = readTruths(join(root, 'fixtures'));

const sha = (s: string | undefined): string => createHash('sha256').update(Buffer.from(s ?? '', 'utf8')).digest('hex');
const endpoint = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
const keyOf = (client: string, method: string, target: string): string => `${client} ${method} ${target}`;

describe('bundled fixtures match the generator ground truth', () => {
  it('has fixtures to check', () => {
    expect(truths.length).toBeGreaterThanOrEqual(15);
  });

  it.each(truths.map((t) => [t.scenario, t] as const))('%s', async (_name, truth) => {
    const { exchanges } = await captureToArray([join(root, 'fixtures/pcaps', truth.file)], WHOLE_BODIES);
    for (const ex of exchanges) expect(httpExchangeSchema.safeParse(ex).success).toBe(true);
    expect(exchanges).toHaveLength(truth.exchanges.length);

    const ours = new Map<string, HttpExchange[]>();
    for (const ex of exchanges) {
      const k = keyOf(endpoint(ex.source.ip, ex.source.port), ex.http.request.method, ex.url.original);
      ours.set(k, [...(ours.get(k) ?? []), ex]);
    }
    for (const want of truth.exchanges) {
      const key = keyOf(want.client, want.method ?? '', want.target ?? '');
      const list = ours.get(key);
      expect({ key, found: list !== undefined && list.length > 0 }).toEqual({ key, found: true });
      const got = list?.shift();
      if (!got) continue;
      const context = `${truth.scenario}: ${key}`;
      expect({ context, server: endpoint(got.destination.ip, got.destination.port) }).toEqual({ context, server: want.server });
      if (want.status !== null) expect({ context, status: got.http.response?.status_code }).toEqual({ context, status: want.status });
      else if (want.method !== null) expect({ context, status: got.http.response?.status_code }).toEqual({ context, status: undefined });
      if (want.host !== null) expect({ context, host: got.url.domain }).toEqual({ context, host: want.host });
      if (want.requestBodyBytes !== null) expect({ context, requestBytes: got.http.request.body.bytes }).toEqual({ context, requestBytes: want.requestBodyBytes });
      if (want.responseBodyBytes !== null) expect({ context, responseBytes: got.http.response?.body.bytes }).toEqual({ context, responseBytes: want.responseBodyBytes });
      // A body whose secret fields were hashed (a login response's token) no longer hashes to the raw truth.
      const redacted = REDACTED_VALUE.test(got.http.response?.body.content ?? '');
      if (want.responseBodySha256 !== null && (want.responseBodyBytes ?? 0) > 0 && got.http.response?.body.content !== undefined && !redacted) {
        expect({ context, body: sha(got.http.response.body.content) }).toEqual({ context, body: want.responseBodySha256 });
      }
      if (want.vlan !== undefined) expect({ context, vlan: got.sidetap.capture.vlan }).toEqual({ context, vlan: want.vlan });
      if (want.vni !== undefined) expect({ context, vni: got.sidetap.capture.vni }).toEqual({ context, vni: want.vni });
      const tolerated = new Set([...CONFIG_FLAGS, ...(want.flagsMayInclude ?? [])]);
      const flags = got.sidetap.capture.flags.filter((f) => !tolerated.has(f) || want.flags.includes(f)).sort();
      expect({ context, flags }).toEqual({ context, flags: [...want.flags].sort() });
    }
  });
});
