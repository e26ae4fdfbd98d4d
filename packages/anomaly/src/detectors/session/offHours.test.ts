import type { Event } from '@sidetap/core';
import { detectAll } from '../../testEngine';
import { event } from '../../testEvents';

const T0 = Date.UTC(2024, 4, 1, 0, 0, 0);
const HOUR = 3_600_000;
const on = { learnMs: 7 * 24 * HOUR, detectors: { off_hours: { enabled: true } } };

// A week of office hours: 9 to 17 UTC, every day.
const week: Event[] = [];
for (let d = 0; d < 7; d++) for (let h = 9; h <= 17; h++) week.push(event({ id: `w${d}-${h}`, at: T0 + d * 24 * HOUR + h * HOUR, actor: 'jwt:kim', user: 'kim' }));

describe('off_hours', () => {
  it('fires for a request at 03:00 from a timeline that only ever worked 9 to 17', async () => {
    const f = await detectAll([...week, event({ id: 'night', at: T0 + 8 * 24 * HOUR + 3 * HOUR, actor: 'jwt:kim', user: 'kim' })], on);
    expect(f.map((x) => x.rule.id)).toEqual(['off_hours.unused_hour']);
    expect(f[0]!.sidetap.evidence.observed).toBe('03:00 UTC');
  });

  it('stays silent an hour or two outside the routine, and when switched off (the default)', async () => {
    expect(await detectAll([...week, event({ id: 'late', at: T0 + 8 * 24 * HOUR + 19 * HOUR, actor: 'jwt:kim', user: 'kim' })], on)).toEqual([]);
    expect(await detectAll([...week, event({ id: 'night', at: T0 + 8 * 24 * HOUR + 3 * HOUR, actor: 'jwt:kim', user: 'kim' })], { learnMs: 7 * 24 * HOUR })).toEqual([]);
  });
});
