import { join } from 'node:path';
import { Counters } from '@sidetap/core';
import { endpointConfigSchema } from './endpointConfig';
import { createEndpointTemplater } from './endpointTemplater';

const make = (options: Record<string, unknown> = {}, counters = new Counters()) =>
  createEndpointTemplater(endpointConfigSchema.parse(options), { counters });

describe('endpoint templates of hostile paths', () => {
  it('keeps traversal, encoded slashes and unicode raw, as sent', () => {
    const t = make();
    expect(t.match('GET', '/static/../../etc/passwd').template).toBe('/static/../../etc/passwd');
    expect(t.match('GET', '/files/a%2F..%2Fb').template).toBe('/files/a%2F..%2Fb');
    expect(t.match('GET', '/Café/ünï/日本').template).toBe('/Café/ünï/日本');
    expect(t.match('GET', '/a\u0000b/\r\n').template).toBe('/a\u0000b/\r\n');
    expect(t.match('OPTIONS', '*').template).toBe('*');
    expect(t.match('GET', '?a=/b').template).toBe('/');
  });

  it('bounds 64 KiB paths and huge segment counts', () => {
    const counters = new Counters();
    const t = make({}, counters);
    expect(t.match('GET', `/${'a'.repeat(65_536)}`).template).toBe('/{param}');
    expect(t.match('GET', '/'.repeat(65_536)).template).toBe('/');
    const deep = t.match('GET', '/x'.repeat(32_768)).template;
    expect(deep).toBe(`${'/x'.repeat(32)}/{...}`);
    expect(t.match('GET', `/${'9'.repeat(65_536)}/orders`).template).toBe('/{param}/orders');
    expect(counters.get('sessionizer_endpoint_segments_truncated_total')).toBe(1);
  });

  it('survives random garbage without throwing, and keeps its state within bounds', () => {
    const counters = new Counters();
    // A threshold garbage cannot reach, so positions pile up and must be evicted.
    const t = make({ maxTemplates: 100, cacheSize: 50, learnThreshold: 1000 }, counters);
    let seed = 7;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const length = rand(i % 100 === 0 ? 65_536 : 64);
      const codes = Array.from({ length }, () => (rand(8) === 0 ? 47 : rand(0x10000)));
      const path = Buffer.from(Uint16Array.from(codes).buffer).toString('utf16le');
      const m = t.match('GET', path);
      expect(typeof m.template).toBe('string');
    }
    const state = t.exportState() as { promoted: string[]; positions: unknown[] };
    expect(state.promoted.length + state.positions.length).toBeLessThanOrEqual(100);
    expect(counters.get('sessionizer_endpoint_positions_evicted_total')).toBeGreaterThan(0);
  });

  it('does not backtrack badly on in-segment spec patterns', () => {
    const t = make({ specFile: join(__dirname, 'testdata', 'petstore-3.0.yaml') });
    expect(t.match('GET', `/v2/files/${'.'.repeat(200)}x`).template).toBe(`/v2/files/{name}.{ext}`);
    expect(t.match('GET', `/v2/files/${'.'.repeat(65_536)}`).inSpec).toBe(false);
  });
});
