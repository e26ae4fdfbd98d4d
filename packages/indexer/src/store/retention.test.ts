import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Counters } from '@sidetap/core';
import { LocalStore } from '../localStore';
import { readStoreRecordsSync } from './readStoreRecords';
import { segmentsToRemove } from './retention';
import { event, findings, tempStore } from './testFindings';

const HOUR = 3_600_000;
const MIB = 1024 * 1024;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const store = (): string => {
  const d = tempStore();
  dirs.push(d);
  return d;
};

describe('segmentsToRemove', () => {
  const seg = (seq: number, bytes: number, newestHour: number) => ({ seq, bytes, records: 10, newest: newestHour * HOUR });

  it('removes segments whose newest record is older than the age limit, counted from the newest record', () => {
    const segments = [seg(1, 10, 0), seg(2, 10, 5), seg(3, 10, 20), seg(4, 10, 30)];
    expect(segmentsToRemove(segments, { maxBytes: 1000, maxAgeMs: 24 * HOUR })).toEqual([
      { seq: 1, reason: 'age' },
      { seq: 2, reason: 'age' },
    ]);
    expect(segmentsToRemove(segments, { maxBytes: 1000, maxAgeMs: 0 })).toEqual([]);
  });

  it('removes the oldest until the kind fits its budget, never the segment being written', () => {
    const segments = [seg(1, 40, 1), seg(2, 40, 2), seg(3, 40, 3), seg(4, 40, 4)];
    expect(segmentsToRemove(segments, { maxBytes: 100, maxAgeMs: 0 })).toEqual([
      { seq: 1, reason: 'size' },
      { seq: 2, reason: 'size' },
    ]);
    expect(segmentsToRemove(segments, { maxBytes: 100, maxAgeMs: 0 }, 1)).toEqual([
      { seq: 2, reason: 'size' },
      { seq: 3, reason: 'size' },
    ]);
  });

  it('counts what age removed before judging size, and leaves undated segments to the size limit', () => {
    const segments = [seg(1, 60, 0), { seq: 2, bytes: 60, records: 0, newest: -Infinity }, seg(3, 60, 48)];
    expect(segmentsToRemove(segments, { maxBytes: 130, maxAgeMs: 24 * HOUR })).toEqual([{ seq: 1, reason: 'age' }]);
    expect(segmentsToRemove(segments, { maxBytes: 100, maxAgeMs: 24 * HOUR })).toEqual([
      { seq: 1, reason: 'age' },
      { seq: 2, reason: 'size' },
    ]);
  });
});

describe('retention in the store', () => {
  it('keeps a kind within its byte budget by removing whole oldest segments, and counts them', async () => {
    const dir = store();
    const counters = new Counters();
    const s = new LocalStore(dir, { segmentBytes: 256 * 1024, maxBytes: { findings: MIB } }, { counters });
    // About 3 MiB of findings, in batches.
    for (let i = 0; i < 60; i++) await s.append('alert', findings(i * 50, i * 50 + 50));
    await s.close();
    const files = readdirSync(join(dir, 'findings'));
    const segments = files.filter((f) => f.endsWith('.ndjson')).sort();
    expect(segments[0]).not.toBe('0000000001.ndjson');
    let bytes = 0;
    for (const f of files) bytes += statSync(join(dir, 'findings', f)).size;
    expect(bytes).toBeLessThanOrEqual(MIB);
    expect(bytes).toBeGreaterThan(MIB / 2);
    // Every index went with its segment.
    expect(files.filter((f) => f.endsWith('.idx')).sort()).toEqual(segments.map((f) => f.replace('.ndjson', '.idx')));
    const kept = readStoreRecordsSync<{ event: { id: string } }>(dir, 'alert');
    const removed = counters.get('indexer_store_records_removed_total{kind="findings",reason="size"}');
    expect(removed).toBeGreaterThan(0);
    expect(kept.length + removed).toBe(3000);
    // What is left is the newest, whole and in order.
    expect(kept.map((f) => f.event.id)).toEqual(findings(3000 - kept.length, 3000).map((f) => f.event.id));
    expect(counters.get('indexer_store_segments_removed_total{kind="findings",reason="size"}')).toBe(Number(segments[0]!.slice(0, 10)) - 1);
  });

  it('measures age in event time: an old capture is kept, and goes only once newer records are maxAgeMs ahead', async () => {
    const dir = store();
    const counters = new Counters();
    const config = { segmentBytes: 64 * 1024, maxAgeMs: 24 * HOUR };
    const day = (d: number, n: number) => event(n, new Date(Date.UTC(2020, 0, 1 + d, 0, 0, n % 60)).toISOString());
    const s = new LocalStore(dir, config, { counters });
    // A capture from 2020: years older than the wall clock, all kept.
    for (let i = 0; i < 10; i++) await s.append('event', Array.from({ length: 50 }, (_, k) => day(0, i * 50 + k)));
    await s.close();
    expect(readStoreRecordsSync(dir, 'event')).toHaveLength(500);

    // Two days later in event time (a later replay): the first day's segments are now past the limit.
    const later = new LocalStore(dir, config, { counters });
    await later.append('event', Array.from({ length: 50 }, (_, k) => day(2, 1000 + k)));
    await later.close();
    const left = readStoreRecordsSync<{ event: { id: string } }>(dir, 'event');
    expect(left.map((e) => e.event.id)).toEqual(Array.from({ length: 50 }, (_, k) => `ev-${1000 + k}`));
    expect(counters.get('indexer_store_records_removed_total{kind="events",reason="age"}')).toBe(500);
    // Each kind has its own clock: findings of 2020 are not judged by events of 2020-01-03.
    expect(counters.get('indexer_store_records_removed_total{kind="findings",reason="age"}')).toBe(0);
  });

  it('applies retention when a writer opens a store that is over its limits', async () => {
    const dir = store();
    const big = new LocalStore(dir, { segmentBytes: 64 * 1024 });
    for (let i = 0; i < 40; i++) await big.append('alert', findings(i * 60, i * 60 + 60));
    await big.close();
    const counters = new Counters();
    const small = new LocalStore(dir, { segmentBytes: 64 * 1024, maxBytes: { findings: MIB } }, { counters });
    await small.append('alert', findings(5000, 5001));
    await small.close();
    expect(readStoreRecordsSync(dir, 'alert').length).toBeLessThan(2400);
    expect(counters.get('indexer_store_segments_removed_total{kind="findings",reason="size"}')).toBeGreaterThan(0);
  });
});
