// HAR files as captures: `sidetap capture x.har` and `sidetap replay x.har` read them (by name, or
// by content when gzipped or named otherwise) through the same redaction and actor keys as
// packets, replay runs them through the whole pipeline to findings, a HAR and a pcap mix in one
// run in the order named, and a broken HAR ends with exit 2 naming the file and byte offset after
// everything before it was written.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRedactor, httpExchangeSchema } from '@sidetap/core';
import type { Event, Finding, HttpExchange } from '@sidetap/core';
import { readStoreRecords } from '@sidetap/indexer';
import { runCli } from './helpers/runCli';
import type { CliRun } from './helpers/runCli';

const root = join(__dirname, '..');
const HAR = join(root, 'fixtures/har/shop-session.har');
const PCAP = join(root, 'fixtures/pcaps/keepalive.pcap');
const KEY = 'test-key-0123456789abcdef';
const TOKEN = 'shop-api-token-alice-0123456789';
const work = mkdtempSync(join(tmpdir(), 'sidetap-har-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let stores = 0;
const newStore = (): string => join(work, `store-${++stores}`);

const run = (argv: string[]): Promise<CliRun> => runCli(argv, KEY);

const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');
const exchanges = (stdout: string): HttpExchange[] => lines(stdout).map((l) => JSON.parse(l) as HttpExchange);
const ids = (stdout: string): string[] => exchanges(stdout).map((x) => x.event.id);
const file = (name: string, content: string | Buffer): string => {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
};

async function storeRecords<T>(store: string, kind: 'event' | 'alert'): Promise<T[]> {
  const out: T[] = [];
  for await (const r of readStoreRecords<T>(store, kind)) out.push(r);
  return out;
}

describe('sidetap capture x.har', () => {
  it('writes one ECS exchange per entry, in start order, from mirror:har, with secrets redacted', async () => {
    const r = await run(['capture', HAR, '--ndjson', '--store', work]);
    expect(r.code).toBe(0);
    const docs = exchanges(r.stdout);
    for (const d of docs) expect(httpExchangeSchema.safeParse(d).success).toBe(true);
    // The file lists the injection before the listing that started earlier; the entries come out in event time.
    expect(docs.map((d) => `${d.http.request.method} ${d.url.path}${d.url.query === undefined ? '' : `?${d.url.query}`}`)).toEqual([
      'POST /api/v1/login',
      'GET /api/v1/products?page=2&sort=price',
      "GET /api/v1/products?id=1'%20OR%20'1'='1",
      'GET /api/v1/cart',
    ]);
    expect(docs.map((d) => d['@timestamp'])).toEqual(['2023-11-14T22:20:00.100Z', '2023-11-14T22:20:01.250Z', '2023-11-14T22:20:03.500Z', '2023-11-14T22:20:05.000Z']);
    for (const d of docs) expect(d.sidetap.capture).toMatchObject({ source: 'mirror:har', file: HAR });
    expect(docs.map((d) => [d.destination.ip, d.destination.port, d.url.domain])).toEqual(Array(4).fill(['203.0.113.10', 443, 'shop.test']).map((x, i) => (i === 3 ? ['0.0.0.0', 443, 'shop.test'] : x)));
    expect(docs.map((d) => d.sidetap.capture.flags)).toEqual([[], [], [], ['unanswered_request']]);
    expect(docs[0]!.http.request.body).toEqual({ bytes: 55, content: expect.stringContaining('"username":"alice"') });
    expect(docs[2]!.http.response?.status_code).toBe(200);

    // The opaque bearer token names one actor by its keyed hash, as it would in a pcap; it is never written raw.
    const redactor = createRedactor({ key: Buffer.from(KEY) });
    expect(docs.slice(1).map((d) => d.sidetap.actor_key)).toEqual(Array(3).fill(`api_key:${redactor.hash(TOKEN)}`));
    expect(r.stdout).not.toContain(TOKEN);
    expect(r.stdout).not.toContain('correct-horse-battery');
    expect(r.stdout).not.toContain('s3ss10n-4l1c3-0001');
    expect(r.stderr).toMatch(/sidetap capture: 1 file, 0 packets, .* 4 exchanges in/);
    expect(r.stderr).toContain('capture_mirror_records_accepted_total{format="har"} 4');
  });

  it('knows a HAR by its content when it is gzipped or named otherwise, with the same exchanges', async () => {
    const plain = await run(['capture', HAR, '--store', work]);
    const gz = file('session.bin', gzipSync(readFileSync(HAR)));
    const json = file('session.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(HAR)]));
    for (const other of [gz, json]) {
      const r = await run(['capture', other, '--store', work]);
      expect(r.code).toBe(0);
      expect(ids(r.stdout)).toEqual(ids(plain.stdout));
    }
  });

  it('reads a pcap and a HAR named together in the order named', async () => {
    const pcap = await run(['capture', PCAP, '--store', work]);
    const har = await run(['capture', HAR, '--store', work]);
    const both = await run(['capture', PCAP, HAR, '--store', work]);
    expect(both.code).toBe(0);
    expect(ids(pcap.stdout).length).toBeGreaterThan(0);
    expect(ids(both.stdout)).toEqual([...ids(pcap.stdout), ...ids(har.stdout)]);
    expect(exchanges(both.stdout).map((x) => x.sidetap.capture.source)).toEqual([...Array<string>(ids(pcap.stdout).length).fill('pcap'), ...Array<string>(4).fill('mirror:har')]);
    // Event time runs on across the two (the HAR was recorded after the pcap).
    const times = exchanges(both.stdout).map((x) => Date.parse(x['@timestamp']));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(both.stderr).toMatch(/sidetap capture: 2 files, \d+ packets, .* \d+ exchanges in/);
  });

  it('stops at a broken HAR with exit 2 naming the file and byte offset, after writing what came before', async () => {
    const text = readFileSync(HAR, 'utf8');
    const cut = text.indexOf('"entries": [') + '"entries": ['.length + 1;
    const broken = file('broken.har', `${text.slice(0, cut)}@${text.slice(cut)}`);
    const pcap = await run(['capture', PCAP, '--store', work]);
    const r = await run(['capture', PCAP, broken, '--store', work]);
    expect(r.code).toBe(2);
    expect(ids(r.stdout)).toEqual(ids(pcap.stdout));
    const errors = lines(r.stderr).filter((l) => l.includes(broken));
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^sidetap capture: ${broken}: not a HAR file: invalid JSON \\(.+\\) at byte offset ${cut}; the ${ids(pcap.stdout).length} exchanges before it were processed\\.$`))]);
  });

  it('skips an entry it cannot read, saying which, and keeps the others', async () => {
    const doc = JSON.parse(readFileSync(HAR, 'utf8')) as { log: { entries: Array<{ startedDateTime: string }> } };
    doc.log.entries[0]!.startedDateTime = 'yesterday';
    const r = await run(['capture', file('one-bad.har', JSON.stringify(doc)), '--store', work]);
    expect(r.code).toBe(0);
    expect(exchanges(r.stdout).map((x) => x.url.path)).not.toContain('/api/v1/login');
    expect(exchanges(r.stdout)).toHaveLength(3);
    expect(r.stderr).toContain(`${join(work, 'one-bad.har')}: entry 0: startedDateTime is not an ISO 8601 time; skipped.`);
    expect(r.stderr).toContain('capture_mirror_records_rejected_total{format="har"} 1');
  });

  it('names HAR among the formats when a file is none of them', async () => {
    const junk = file('notes.txt', 'this is not a capture file at all\n');
    const r = await run(['capture', junk, '--store', work]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr).filter((l) => l.includes(junk))).toEqual([
      `sidetap capture: ${junk}: is not a pcap, pcapng or HAR file (magic 0x74686973) at byte offset 0; the 0 exchanges before it were processed.`,
    ]);
    expect((await run(['capture'])).stderr).toContain('(pcap, pcapng or HAR, or any of them gzipped)');
  });

  it('reads HAR files in one thread: --workers above 1 is a usage error', async () => {
    const r = await run(['capture', PCAP, HAR, '--workers', '2', '--store', work]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr.trim()).toBe('sidetap capture: --workers above 1 needs packet captures only; HAR files are read in one thread.');
  });
});

describe('sidetap replay x.har', () => {
  it('runs the entries through the whole pipeline: events from mirror:har and the injection as a finding', async () => {
    const store = newStore();
    const r = await run(['replay', HAR, '--store', store]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^sidetap replay: ${HAR}\\n`));
    const events = await storeRecords<Event>(store, 'event');
    expect(events.map((e) => e.sidetap.capture.source)).toEqual(Array(4).fill('mirror:har'));
    const probe = events.find((e) => e.url.query?.includes('OR'));
    expect(probe).toBeDefined();

    const findings = await storeRecords<Finding>(store, 'alert');
    const sqli = findings.filter((f) => f.rule.category === 'sqli');
    expect(sqli).toHaveLength(1);
    expect(sqli[0]!.sidetap.evidence.exchange_ids).toEqual([probe!.event.id]);
    expect(sqli[0]!.sidetap.detector).toBe('request_threats');

    // `sidetap findings` reads it back from the store.
    const listed = await run(['findings', '--store', store, '--ndjson']);
    expect(listed.code).toBe(0);
    expect(lines(listed.stdout).map((l) => (JSON.parse(l) as Finding).rule.category)).toContain('sqli');
  });

  it('replays a pcap and a HAR together, both sources in the store', async () => {
    const store = newStore();
    const r = await run(['replay', PCAP, HAR, '--json', '--store', store]);
    expect(r.code).toBe(0);
    const pcapOnly = JSON.parse((await run(['replay', PCAP, '--json', '--store', newStore()])).stdout) as { exchanges: number };
    const doc = JSON.parse(r.stdout) as { files: number; exchanges: number; findings: { total: number } };
    expect(doc).toMatchObject({ files: 2, exchanges: pcapOnly.exchanges + 4 });
    const sources = (await storeRecords<Event>(store, 'event')).map((e) => e.sidetap.capture.source);
    expect(sources.filter((s) => s === 'pcap')).toHaveLength(pcapOnly.exchanges);
    expect(sources.filter((s) => s === 'mirror:har')).toHaveLength(4);
    expect((await storeRecords<Finding>(store, 'alert')).map((f) => f.rule.category)).toContain('sqli');
  });

  it('ends at a HAR that is not one with exit 2, after replaying the files before it', async () => {
    const store = newStore();
    const notHar = file('other.har', '{"traffic": []}');
    const r = await run(['replay', PCAP, notHar, '--json', '--store', store]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^sidetap replay: ${notHar}: not a HAR document \\(no log\\.entries list\\) at byte offset 0; the \\d+ exchanges before it were processed\\.$`, 'm'));
    expect((await storeRecords<Event>(store, 'event')).length).toBe((JSON.parse(r.stdout) as { exchanges: number }).exchanges);
  });
});
