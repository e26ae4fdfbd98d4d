import { join } from 'node:path';
import { Counters } from '@sidetap/core';
import { endpointConfigSchema } from './endpointConfig';
import { createEndpointTemplater } from './endpointTemplater';

// On an API its spec describes, templates learned from traffic alone must name the same
// endpoints as the spec does: equal once slot names ({id} vs {accountId}) are set aside.

/** Deterministic traffic for testdata/bank.yaml: shaped ids, and more usernames than the threshold. */
function bankTraffic(): string[] {
  let seed = 20240501;
  const next = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed;
  };
  const hex = (chars: number): string => Array.from({ length: chars }, () => (next() >>> 28).toString(16)).join('');
  const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const usernames = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'].flatMap((n) => [n, `${n}_w`, `${n}.q`, `${n}-x`, `${n}z`, `the${n}`]);
  const paths: string[] = [];
  let users = 0;
  // Round-robin, so all 60 names (more than the default threshold of 50) show up.
  const user = (): string => usernames[users++ % usernames.length] ?? 'alice';
  for (let i = 0; i < 600; i++) {
    const account = 1000 + ((next() >>> 8) % 5000);
    const day = `2024-0${1 + ((next() >>> 8) % 9)}-1${(next() >>> 8) % 10}`;
    const base = '/api/v1';
    switch (i % 9) {
      case 0: paths.push(`${base}/accounts`); break;
      case 1: paths.push(`${base}/accounts/${account}`); break;
      case 2: paths.push(`${base}/accounts/${account}/transactions`); break;
      case 3: paths.push(`${base}/accounts/${account}/transactions/${uuid()}`); break;
      case 4: paths.push(`${base}/users/${user()}/orders/${(next() >>> 8) % 100000}`); break;
      case 5: paths.push(`${base}/users/${user()}/profile`); break;
      case 6: paths.push(`${base}/statements/${day}`); break;
      case 7: paths.push(`${base}/blobs/${hex(64)}?download=1`); break;
      default: paths.push(i % 2 ? `${base}/customers/customer${i}@example.com/consents` : `${base}/devices/${hex(24)}/sessions/${uuid()}`);
    }
  }
  return paths;
}

const slotless = (template: string): string => template.replace(/\{[^{}/]*\}/g, '{}');

describe('spec and learned templates on a spec\'d API', () => {
  it('name the same endpoints once the learner has seen the traffic', () => {
    const traffic = bankTraffic();
    const fromSpec = createEndpointTemplater(endpointConfigSchema.parse({ specFile: join(__dirname, 'testdata', 'bank.yaml') }), { counters: new Counters() });
    const learned = createEndpointTemplater(endpointConfigSchema.parse({}), { counters: new Counters() });
    for (const path of traffic) learned.match('GET', path);

    const specTemplates = traffic.map((p) => fromSpec.match('GET', p));
    expect(specTemplates.every((m) => m.inSpec && m.methodDeclared === true)).toBe(true);
    const mismatches = traffic
      .map((p, i) => ({ path: p, spec: specTemplates[i]?.template ?? '', learned: learned.match('GET', p).template }))
      .filter((row) => slotless(row.spec) !== slotless(row.learned));
    expect(mismatches).toEqual([]);
    // Every spec path was exercised, so the comparison covered them all.
    expect(new Set(specTemplates.map((m) => m.template)).size).toBe(10);
  });
});
