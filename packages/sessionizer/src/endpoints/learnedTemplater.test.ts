import { Counters } from '@sidetap/core';
import { endpointConfigSchema } from './endpointConfig';
import { createEndpointTemplater } from './endpointTemplater';
import type { EndpointTemplater } from './endpointMatch';

const learner = (options: Record<string, unknown> = {}, counters = new Counters()): EndpointTemplater =>
  createEndpointTemplater(endpointConfigSchema.parse(options), { counters });
const template = (t: EndpointTemplater, path: string): string => t.match('GET', path).template;

const UUID = '550e8400-e29b-41d4-a716-446655440000';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';

describe('learned endpoint templates', () => {
  it('puts shaped values in named slots in every position', () => {
    const t = learner();
    expect(t.match('GET', '/api/v1/accounts/123')).toEqual({ template: '/api/v1/accounts/{id}', source: 'learned', inSpec: false });
    expect(template(t, '/123/users')).toBe('/{id}/users');
    expect(template(t, `/tenants/${UUID}/files/${SHA1}/versions/20240501`)).toBe('/tenants/{uuid}/files/{hash}/versions/{date}');
    expect(template(t, '/customers/alice@example.com/devices/10.0.0.1/seen/2024-05-01')).toBe('/customers/{email}/devices/{ip}/seen/{date}');
    expect(template(t, '/objects/507f1f77bcf86cd799439011/children/42')).toBe('/objects/{hash}/children/{id}');
    expect(template(t, '/')).toBe('/');
    expect(template(t, '')).toBe('/');
    expect(template(t, '/users/42?expand=orders')).toBe('/users/{id}');
  });

  it('turns a position with more distinct values than the threshold into {param}, from then on', () => {
    const counters = new Counters();
    // An exact set as large as the threshold, so the 51st value is the one that turns it.
    const t = learner({ learnThreshold: 50, maxValuesPerPosition: 64 }, counters);
    const users = Array.from({ length: 60 }, (_, i) => `user${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
    const seen = users.map((u, i) => template(t, `/users/${u}/orders/${i + 1}`));
    expect(seen.slice(0, 50)).toEqual(users.slice(0, 50).map((u) => `/users/${u}/orders/{id}`));
    expect(seen.slice(50)).toEqual(Array(10).fill('/users/{param}/orders/{id}'));
    expect(template(t, '/users/useraa/orders/9')).toBe('/users/{param}/orders/{id}'); // also values seen before
    expect(template(t, '/users/zed/profile')).toBe('/users/{param}/profile');
    expect(counters.get('sessionizer_endpoint_params_learned_total')).toBe(1);
    // Each parent counts its own values.
    expect(template(t, '/teams/useraa')).toBe('/teams/useraa');
  });

  it('is deterministic for the same input order, and its state round-trips through JSON', () => {
    const traffic = Array.from({ length: 400 }, (_, i) => `/shop/${['books', 'toys', 'food'][i % 3]}/item-${(i * 7919) % 97}/reviews/${i}`);
    const a = learner({ learnThreshold: 20 });
    const b = learner({ learnThreshold: 20 });
    const outA = traffic.map((p) => template(a, p));
    expect(traffic.map((p) => template(b, p))).toEqual(outA);
    expect(b.exportState()).toEqual(a.exportState());
    expect(new Set(outA.slice(-30))).toEqual(new Set(['/shop/books/{param}/reviews/{id}', '/shop/toys/{param}/reviews/{id}', '/shop/food/{param}/reviews/{id}']));

    const restored = learner({ learnThreshold: 20 });
    restored.importState(JSON.parse(JSON.stringify(a.exportState())));
    expect(restored.exportState()).toEqual(a.exportState());
    const more = ['/shop/toys/item-3/reviews/1', '/shop/garden/rake', '/shop/books/new-item/reviews/2'];
    expect(more.map((p) => template(restored, p))).toEqual(more.map((p) => template(a, p)));
  });

  it('refuses a state document it did not write', () => {
    const t = learner();
    expect(() => t.importState({ format: 'other' })).toThrow(/^endpoint state: not a sidetap\.endpoints\.learned version 1 document \(.+ at format\)\.$/);
    expect(() => t.importState(null)).toThrow(/^endpoint state: not a sidetap\.endpoints\.learned version 1 document/);
  });

  it('bounds tracked positions, evicting one not used lately and counting it', () => {
    const counters = new Counters();
    const t = learner({ maxTemplates: 3 }, counters);
    // Positions: '' (first segments), then '/a', '/b', '/c' (second segments under each).
    for (const p of ['/a/x', '/b/x', '/a/y', '/c/x']) t.match('GET', p);
    const state = t.exportState() as { positions: Array<{ parent: string; values: string[] }> };
    // '' and '/a' were used again after they were added; '/b' was not, so it goes.
    expect(state.positions).toEqual([
      { parent: '', values: ['a', 'b', 'c'] },
      { parent: '/a', values: ['x', 'y'] },
      { parent: '/c', values: ['x'] },
    ]);
    expect(counters.get('sessionizer_endpoint_positions_evicted_total')).toBe(1);
  });

  it('remembers a few values exactly, estimates the rest, and is not fooled by repeats', () => {
    const t = learner({ learnThreshold: 10, maxValuesPerPosition: 4 });
    // Eight route names over and over: more than the exact set holds, fewer than the threshold.
    for (let round = 0; round < 50; round++) for (let i = 0; i < 8; i++) template(t, `/api/resource${String.fromCharCode(97 + i)}`);
    expect(template(t, '/api/resourcea')).toBe('/api/resourcea');
    const state = t.exportState() as { positions: Array<{ parent: string; values: string[]; sketch?: number[] }> };
    const api = state.positions.find((p) => p.parent === '/api');
    expect(api?.values).toHaveLength(4);
    expect(api?.sketch).toHaveLength(16);
    let learnedAt = 0;
    for (let i = 0; learnedAt === 0 && i < 100; i++) if (template(t, `/api/extra${String.fromCharCode(97 + i % 26)}${i}`) === '/api/{param}') learnedAt = 8 + i + 1;
    expect(learnedAt).toBeGreaterThanOrEqual(10);
    expect(learnedAt).toBeLessThanOrEqual(13);
  });

  it('bounds the path cache and counts its evictions', () => {
    const counters = new Counters();
    const t = learner({ cacheSize: 2 }, counters);
    // A path is cached on its second miss; the third path cached pushes one out.
    for (const p of ['/a', '/a', '/b', '/b', '/a', '/c', '/c', '/d']) t.match('GET', p);
    expect(counters.get('sessionizer_endpoint_cache_evicted_total')).toBe(1);
  });

  it('keeps learned and cached answers consistent as learning moves on', () => {
    const cached = learner({ learnThreshold: 5 });
    const uncached = learner({ learnThreshold: 5, cacheSize: 0 });
    const traffic = Array.from({ length: 60 }, (_, i) => `/u/name${String.fromCharCode(97 + (i % 9))}/x`);
    expect(traffic.map((p) => template(cached, p))).toEqual(traffic.map((p) => template(uncached, p)));
  });
});
