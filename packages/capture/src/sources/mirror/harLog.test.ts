import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpExchange } from '@sidetap/core';
import { defaultCaptureConfig } from '../../captureConfig';
import { CaptureFileError } from '../captureFileError';
import { parseHarPayload } from './harLog';
import { readHarFile } from './readHarFile';
import { PayloadError } from './recordFault';
import { exchangesOf, fixture, testRedactor } from './testMirror';

describe('HAR 1.2 files', () => {
  const batch = parseHarPayload(fixture('browser-session.har'));
  const [catalog, login, blocked, logo] = exchangesOf('har', batch);

  it('reads every entry', () => {
    expect(batch.faults).toEqual([]);
    expect(batch.parts).toHaveLength(4);
  });

  it('maps an HTTP/1.1 entry field by field, keeping the decoded response text and the transferred size', () => {
    expect(catalog?.['@timestamp']).toBe('2024-05-14T10:00:00.120Z');
    expect(catalog?.event.duration).toBe(84_512_000);
    expect(catalog?.http.version).toBe('1.1');
    expect(catalog?.url).toEqual({ original: '/api/catalog?page=2&sort=price', path: '/api/catalog', query: 'page=2&sort=price', domain: 'shop.test' });
    expect(catalog?.source).toEqual({ ip: '0.0.0.0', port: 0, bytes: 402 });
    expect(catalog?.destination).toEqual({ ip: '192.0.2.80', port: 80, bytes: 212 });
    expect(catalog?.http.request.headers['cookie']).not.toContain('9b8a7c6d5e');
    expect(catalog?.sidetap.actor_key).toMatch(/^cookie:/);
    expect(catalog?.http.response?.body).toEqual({ bytes: 71, content: '{"products":[{"sku":"A-1","price":12.5},{"sku":"B-2","price":3}]}' });
    // The text is already decoded though Content-Encoding says gzip: nothing to flag.
    expect(catalog?.sidetap.capture).toEqual({ source: 'mirror:har', flags: [] });
  });

  it('turns an HTTP/2 entry\'s pseudo-headers into an origin-form request with Host', () => {
    expect(login?.http.version).toBe('2');
    expect(login?.http.request.method).toBe('POST');
    expect(login?.url.path).toBe('/api/login');
    expect(login?.http.request.headers['host']).toBe('shop.test');
    expect(login?.destination).toMatchObject({ ip: '2001:db8::80', port: 443 });
    expect(login?.sidetap.actor_key).toBe('jwt:dave');
    expect(login?.http.request.body.content).toContain('"email":"dave@example.test"');
    expect(login?.http.request.body.content).not.toContain('correct horse');
    expect(login?.http.response?.reason).toBeUndefined();
    expect(login?.http.response?.body.content).not.toContain('t-0a9b8c7d6e5f');
    expect(login?.http.response?.headers['set-cookie']).not.toContain('1f2e3d4c5b');
  });

  it('makes a request the browser gave up on (status 0) request-only, and counts binary bodies without sampling them', () => {
    expect(blocked?.http.response).toBeUndefined();
    expect(blocked?.sidetap.capture.flags).toEqual(['unanswered_request']);
    expect(blocked?.url.domain).toBe('tracker.test');
    expect(logo?.destination.port).toBe(8080);
    expect(logo?.http.response?.body).toEqual({ bytes: 16 });
  });

  it('names bad entries and keeps the rest; a document without log.entries is not a HAR', () => {
    const doc = JSON.parse(fixture('browser-session.har').toString());
    doc.log.entries[1].request.url = '/relative';
    doc.log.entries[2].startedDateTime = 'last tuesday';
    const mixed = parseHarPayload(Buffer.from(JSON.stringify(doc)));
    expect(mixed.parts).toHaveLength(2);
    expect(mixed.faults.map((f) => f.message)).toEqual(['entry 1: request.url is not an absolute URL.', 'entry 2: startedDateTime is not an ISO 8601 time.']);
    expect(() => parseHarPayload(Buffer.from('{"log":{}}'))).toThrow(PayloadError);
  });
});

describe('readHarFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sidetap-har-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const options = (into: HttpExchange[]) => ({ config: defaultCaptureConfig(), redactor: testRedactor, onExchange: (x: HttpExchange) => into.push(x) });

  it('emits the exchanges of a HAR file, naming the file, the same ids as the listener gives', async () => {
    const file = join(dir, 'session.har');
    writeFileSync(file, fixture('browser-session.har'));
    const got: HttpExchange[] = [];
    const summary = await readHarFile(file, options(got));
    expect(summary).toMatchObject({ file, entries: 4, exchanges: 4, faults: [] });
    expect(got.map((x) => x.sidetap.capture.file)).toEqual([file, file, file, file]);
    expect(got.map((x) => x.event.id)).toEqual(exchangesOf('har', parseHarPayload(fixture('browser-session.har'))).map((x) => x.event.id));
  });

  it('ends with a CaptureFileError naming the file and byte offset when it is not JSON', async () => {
    const file = join(dir, 'broken.har');
    writeFileSync(file, '{"log": {"entries": [}}');
    const got: HttpExchange[] = [];
    await expect(readHarFile(file, options(got))).rejects.toThrow(new CaptureFileError(file, 21, "not a HAR file: invalid JSON (Unexpected token '}')"));
    await expect(readHarFile(join(dir, 'missing.har'), options(got))).rejects.toThrow(`${join(dir, 'missing.har')}: cannot be read (ENOENT) at byte offset 0`);
    expect(got).toEqual([]);
  });
});
