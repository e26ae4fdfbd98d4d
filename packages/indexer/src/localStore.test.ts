import { appendFileSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalStore } from './localStore';
import { readStoreRecords, readStoreRecordsSync } from './store/readStoreRecords';
import { queryFindings, emptyQueryStats } from './store/findingsQuery';
import type { StoreReadProblem } from './store/segmentLines';
import { storeConfigSchema } from './store/storeConfig';
import { event, findings, tempStore } from './store/testFindings';

const dirs: string[] = [];
const store = (): string => {
  const d = tempStore();
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const ids = (records: { event: { id: string } }[]): string[] => records.map((r) => r.event.id);
const segmentsOf = (dir: string, kind: string): string[] => readdirSync(join(dir, kind)).filter((n) => n.endsWith('.ndjson')).sort();

async function collect<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe('LocalStore', () => {
  it('writes each kind to its own segment directory, read back in write order', async () => {
    const dir = store();
    const s = new LocalStore(dir);
    await s.append('alert', findings(0, 3));
    await s.append('event', [event(1), event(2)]);
    await s.append('alert', findings(3, 5));
    await s.append('session', []);
    await s.close();
    expect(segmentsOf(dir, 'findings')).toEqual(['0000000001.ndjson']);
    expect(readdirSync(join(dir, 'findings')).sort()).toEqual(['0000000001.idx', '0000000001.ndjson']);
    expect(ids(readStoreRecordsSync(dir, 'alert'))).toEqual(ids(findings(0, 5)));
    expect(ids(await collect(readStoreRecords<{ event: { id: string } }>(dir, 'event')))).toEqual(['ev-1', 'ev-2']);
    // Nothing was written for sessions, so there is no directory for them.
    expect(readStoreRecordsSync(dir, 'session')).toEqual([]);
    await expect(s.append('alert', findings(5, 6))).rejects.toThrow('append after close');
  });

  it('survives a crash mid-write: the torn tail is skipped, the next writer starts a new segment, nothing before is touched', async () => {
    const dir = store();
    const first = new LocalStore(dir);
    await first.append('alert', findings(0, 10));
    await first.append('alert', findings(10, 20));
    // The crash: half a record and half its index row reach the disk, and the process dies.
    const seg = join(dir, 'findings', '0000000001.ndjson');
    const before = readFileSync(seg);
    const torn = JSON.stringify(findings(20, 21)[0]).slice(0, 150);
    appendFileSync(seg, torn);
    appendFileSync(join(dir, 'findings', '0000000001.idx'), '[12345,67');

    const problems: StoreReadProblem[] = [];
    expect(ids(readStoreRecordsSync(dir, 'alert', { onProblem: (p) => problems.push(p) }))).toEqual(ids(findings(0, 20)));
    expect(problems).toEqual([{ file: seg, offset: before.length, reason: 'torn_tail' }]);

    const second = new LocalStore(dir);
    await second.append('alert', findings(20, 30));
    await second.close();
    expect(segmentsOf(dir, 'findings')).toEqual(['0000000001.ndjson', '0000000002.ndjson']);
    // The earlier segment is byte for byte what it was, torn tail included.
    expect(readFileSync(seg).subarray(0, before.length).equals(before)).toBe(true);
    expect(readFileSync(seg).length).toBe(before.length + torn.length);
    expect(second.counters.get('indexer_store_lines_skipped_total{kind="findings",reason="torn_tail"}')).toBe(1);
    expect(ids(readStoreRecordsSync(dir, 'alert'))).toEqual(ids(findings(0, 30)));
    const stats = emptyQueryStats();
    expect((await collect(queryFindings(dir, {}, { stats }))).map((r) => r.id)).toEqual(ids(findings(0, 30)));
    expect(stats.parsed).toBe(0);
  });

  it('reads records whose index never got written by parsing them, and skips a damaged line in the middle', async () => {
    const dir = store();
    const s = new LocalStore(dir);
    await s.append('alert', findings(0, 5));
    await s.append('alert', findings(5, 10));
    await s.close();
    const idx = join(dir, 'findings', '0000000001.idx');
    // The index lost its second batch (a crash between writing records and index, with fsync off).
    const rows = readFileSync(idx, 'utf8').split('\n');
    writeFileSync(idx, rows.slice(0, 5).join('\n') + '\n');
    const stats = emptyQueryStats();
    const got = await collect(queryFindings(dir, {}, { stats, json: true }));
    expect(got.map((r) => r.id)).toEqual(ids(findings(0, 10)));
    expect(stats.parsed).toBe(5);
    expect(got.map((r) => JSON.parse(r.json!.toString('utf8')))).toEqual(findings(0, 10));

    // A line damaged on disk (not JSON) is skipped and reported; the records around it are read.
    const seg = join(dir, 'findings', '0000000001.ndjson');
    const text = readFileSync(seg, 'utf8').split('\n');
    text.splice(3, 0, '\u0000\u0000{"not json');
    writeFileSync(seg, text.join('\n'));
    unlinkSync(idx);
    const problems: StoreReadProblem[] = [];
    expect(ids(readStoreRecordsSync(dir, 'alert', { onProblem: (p) => problems.push(p) }))).toEqual(ids(findings(0, 10)));
    expect(problems.map((p) => p.reason)).toEqual(['not_json']);
    expect((await collect(queryFindings(dir))).map((r) => r.id)).toEqual(ids(findings(0, 10)));
  });

  it('does not trust an index that points past the records it describes', async () => {
    const dir = store();
    const s = new LocalStore(dir);
    await s.append('alert', findings(0, 4));
    await s.close();
    const seg = join(dir, 'findings', '0000000001.ndjson');
    const lines = readFileSync(seg, 'utf8').split('\n');
    // Power loss kept the index but not the last two records' bytes.
    truncateSync(seg, Buffer.byteLength(lines.slice(0, 2).join('\n') + '\n'));
    expect((await collect(queryFindings(dir))).map((r) => r.id)).toEqual(ids(findings(0, 2)));
  });

  it('does not trust index rows that refer to strings never defined, and parses the records instead', async () => {
    const dir = store();
    const s = new LocalStore(dir);
    await s.append('alert', findings(0, 6, { actor: 'jwt:alice', endpoint: '/a' }));
    await s.close();
    const idx = join(dir, 'findings', '0000000001.idx');
    // A damaged index: its first row, which wrote out the strings, is gone; the rows after it still refer to them by number.
    writeFileSync(idx, readFileSync(idx, 'utf8').split('\n').slice(1).join('\n'));
    const stats = emptyQueryStats();
    const got = await collect(queryFindings(dir, { actor: 'alice', endpoint: '/a' }, { stats }));
    expect(got.map((r) => r.id)).toEqual(ids(findings(0, 6)));
    expect(stats.parsed).toBe(6);
  });

  it('starts a new segment at segmentBytes, never splitting a batch', async () => {
    const dir = store();
    const s = new LocalStore(dir, { segmentBytes: 64 * 1024 });
    for (let i = 0; i < 40; i++) await s.append('alert', findings(i * 20, i * 20 + 20));
    await s.close();
    const segs = segmentsOf(dir, 'findings');
    expect(segs.length).toBeGreaterThan(5);
    for (const name of segs.slice(0, -1)) {
      const size = statSync(join(dir, 'findings', name)).size;
      expect(size).toBeLessThanOrEqual(64 * 1024);
      expect(size).toBeGreaterThan(32 * 1024);
    }
    expect(ids(readStoreRecordsSync(dir, 'alert'))).toEqual(ids(findings(0, 800)));
    expect(s.counters.get('indexer_store_segments_started_total{kind="findings"}')).toBe(segs.length);
  });

  it('gives two writers on one store their own segments, so their records never interleave', async () => {
    const dir = store();
    const a = new LocalStore(dir);
    const b = new LocalStore(dir);
    await Promise.all([a.append('alert', findings(0, 50)), b.append('alert', findings(100, 150))]);
    await Promise.all([a.append('alert', findings(50, 100)), b.append('alert', findings(150, 200))]);
    await Promise.all([a.close(), b.close()]);
    expect(segmentsOf(dir, 'findings')).toHaveLength(2);
    expect(ids(readStoreRecordsSync(dir, 'alert')).sort()).toEqual(ids(findings(0, 200)).sort());
    expect(await collect(queryFindings(dir))).toHaveLength(200);
  });

  it('keeps appends in call order even when they are not awaited one by one', async () => {
    const dir = store();
    const s = new LocalStore(dir, { fsync: 'never' });
    await Promise.all([s.append('alert', findings(0, 5)), s.append('alert', findings(5, 10)), s.append('alert', findings(10, 15))]);
    await s.close();
    expect(ids(readStoreRecordsSync(dir, 'alert'))).toEqual(ids(findings(0, 15)));
  });

  it('writes multi-byte text and batches of any size byte for byte, with index rows on each record', async () => {
    const dir = store();
    const s = new LocalStore(dir, { fsync: 'never' });
    // A first batch far larger than the writer's starting buffer, then a small one written into
    // the buffer the first left behind: neither may carry bytes of the other.
    const wide = (n: number): Record<string, unknown> => ({ ...event(n), note: `€ 日本 🙂 "quoted" ${n} `.repeat(n % 7 === 0 ? 400 : 20) });
    const big = Array.from({ length: 300 }, (_, n) => wide(n));
    const small = [wide(1000), event(1001)];
    await s.append('event', big);
    await s.append('event', small);
    await s.close();
    const [seg] = segmentsOf(dir, 'events');
    const data = readFileSync(join(dir, 'events', seg!));
    expect(data.toString('utf8')).toBe([...big, ...small].map((r) => JSON.stringify(r) + '\n').join(''));
    const rows = readFileSync(join(dir, 'events', seg!.replace('.ndjson', '.idx')), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as [number, number]);
    expect(rows.map(([offset, length]) => JSON.parse(data.subarray(offset, offset + length).toString('utf8')))).toEqual([...big, ...small]);
  });

  it('reads a store of the old layout, and moves it into segments on the next write', async () => {
    const dir = store();
    const old = findings(0, 6);
    writeFileSync(join(dir, 'findings.ndjson'), old.map((f) => JSON.stringify(f) + '\n').join(''));
    writeFileSync(join(dir, 'events.ndjson'), [event(1), event(2)].map((e) => JSON.stringify(e) + '\n').join(''));
    expect(ids(readStoreRecordsSync(dir, 'alert'))).toEqual(ids(old));
    expect((await collect(queryFindings(dir, { categories: ['enumeration'] }))).map((r) => r.id)).toEqual(ids(old));

    const s = new LocalStore(dir);
    await s.append('alert', findings(6, 8));
    await s.close();
    expect(readdirSync(dir).sort()).toEqual(['events.ndjson', 'findings']);
    expect(segmentsOf(dir, 'findings')).toEqual(['0000000000.ndjson', '0000000001.ndjson']);
    expect(ids(readStoreRecordsSync(dir, 'alert'))).toEqual(ids(findings(0, 8)));
    const stats = emptyQueryStats();
    expect(await collect(queryFindings(dir, {}, { stats }))).toHaveLength(8);
    // The moved file got an index: nothing had to be parsed.
    expect(stats.parsed).toBe(0);
    // Events were not written, so their old file stays where it was, still read.
    expect(readStoreRecordsSync(dir, 'event')).toHaveLength(2);
  });
});

describe('storeConfigSchema', () => {
  it('fills in defaults', () => {
    const c = storeConfigSchema.parse({});
    expect(c.segmentBytes).toBe(64 * 1024 * 1024);
    expect(c.maxBytes.findings).toBe(1024 * 1024 * 1024);
    expect(c.fsync).toBe('batch');
  });

  it('refuses a budget that cannot hold two segments, naming the option', () => {
    const r = storeConfigSchema.safeParse({ segmentBytes: 16 * 1024 * 1024, maxBytes: { findings: 20 * 1024 * 1024 } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['maxBytes', 'findings']);
    expect(r.error!.issues[0]!.message).toContain('twice segmentBytes');
  });

  it('refuses unknown options', () => {
    expect(storeConfigSchema.safeParse({ segmentSize: 1 }).success).toBe(false);
  });
});
