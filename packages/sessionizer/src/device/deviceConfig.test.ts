import { DEFAULT_IGNORED_HEADERS, deviceConfigSchema } from './deviceConfig';
import { createHeaderNameMatcher } from './headerNameMatcher';
import { REQUEST_SPECIFIC_HEADERS } from './requestSpecificHeaders';

describe('deviceConfigSchema', () => {
  it('fills in defaults', () => {
    expect(deviceConfigSchema.parse({})).toEqual({ enabled: true, cacheSize: 16384, ignoreHeaders: [...DEFAULT_IGNORED_HEADERS] });
  });

  it('describes every option', () => {
    for (const [name, field] of Object.entries(deviceConfigSchema.shape)) expect([name, field.description]).toEqual([name, expect.any(String)]);
  });

  it('lower-cases header names and rejects what is no header name', () => {
    expect(deviceConfigSchema.parse({ ignoreHeaders: [' X-Edge-* ', 'X-Hop'] }).ignoreHeaders).toEqual(['x-edge-*', 'x-hop']);
    for (const bad of ['*', '', 'x forwarded', 'x-*-id']) expect(deviceConfigSchema.safeParse({ ignoreHeaders: [bad] }).success).toBe(false);
  });

  it('rejects unknown options and negative sizes', () => {
    expect(deviceConfigSchema.safeParse({ cachesize: 1 }).success).toBe(false);
    expect(deviceConfigSchema.safeParse({ cacheSize: -1 }).success).toBe(false);
  });
});

describe('createHeaderNameMatcher', () => {
  it('matches exact names and prefixes', () => {
    const matcher = createHeaderNameMatcher(['via', 'x-forwarded-*']);
    expect(matcher.matches('via')).toBe(true);
    expect(matcher.matches('x-forwarded-for')).toBe(true);
    expect(matcher.matches('x-forwarded')).toBe(false);
    expect(matcher.matches('vias')).toBe(false);
  });

  it('leaves the client-shaping headers in the default lists', () => {
    const matcher = createHeaderNameMatcher([...REQUEST_SPECIFIC_HEADERS, ...DEFAULT_IGNORED_HEADERS]);
    for (const kept of ['host', 'user-agent', 'accept', 'accept-language', 'accept-encoding', 'connection', 'authorization', 'x-api-key', 'sec-ch-ua', 'sec-fetch-mode']) {
      expect([kept, matcher.matches(kept)]).toEqual([kept, false]);
    }
    for (const left of ['content-length', 'content-type', 'cookie', 'x-forwarded-for', 'traceparent', 'cf-ray', 'if-none-match']) {
      expect([left, matcher.matches(left)]).toEqual([left, true]);
    }
  });
});
