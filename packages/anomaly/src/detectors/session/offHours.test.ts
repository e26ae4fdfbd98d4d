import type { Event } from '@sidetap/core';
import { detectAll as detectEvery } from '../../testEngine';
import { event } from '../../testEvents';

const T0 = Date.UTC(2024, 4, 1, 0, 0, 0);
const HOUR = 3_600_000;
const on = { learnMs: 7 * 24 * HOUR, detectors: { off_hours: { enabled: true } } };
const NEW_YORK = { lat: 40.7, lon: -74 };
const TOKYO = { lat: 35.7, lon: 139.7 };

function at(id: string, t: number, user: string, where = NEW_YORK): Event {
  const e = event({ id, at: t, actor: `jwt:${user}`, user });
  e.source.geo = { country_iso_code: 'US', location: where };
  return e;
}

// A week in New York (UTC-5): kim works 9 to 17 local time, the others are about from 7 to 23.
const week: Event[] = [];
for (let d = 0; d < 7; d++) {
  for (let h = 7; h <= 23; h++) {
    if (h >= 9 && h <= 17) week.push(at(`k${d}-${h}`, T0 + d * 24 * HOUR + (h + 5) * HOUR, 'kim'));
    for (const other of ['ann', 'bob']) week.push(at(`${other}${d}-${h}`, T0 + d * 24 * HOUR + (h + 5) * HOUR + 60_000, other));
  }
}
const detectAll = async (es: Event[], config: Parameters<typeof detectEvery>[1]) => (await detectEvery(es, config)).filter((f) => f.rule.category === 'off_hours');
const byTime = (es: Event[]): Event[] => [...es].sort((a, b) => a['@timestamp'].localeCompare(b['@timestamp']));
/** Three requests at local hour `h` on day 8. */
const burst = (h: number, where = NEW_YORK): Event[] => [0, 1, 2].map((k) => at(`n${h}-${k}`, T0 + 8 * 24 * HOUR + (h + 5) * HOUR + k * 60_000, 'kim', where));

describe('off_hours', () => {
  it('fires when a timeline is busy at 03:00 of its own day, a night hour for everyone', async () => {
    const f = await detectAll(byTime([...week, ...burst(3)]), on);
    expect(f.map((x) => x.rule.id)).toEqual(['off_hours.unused_hour']);
    expect(f[0]!.sidetap.evidence.observed).toBe('03:00 local (UTC-5)');
    expect(f[0]!.sidetap.evidence.exchange_ids).toHaveLength(3);
    expect(f[0]!.user).toEqual({ name: 'kim' });
  });

  it("judges a request from abroad on the account's home clock", async () => {
    // 03:00 in New York is 17:00 in Tokyo: still the middle of kim's night.
    const f = await detectAll(byTime([...week, ...burst(3, TOKYO)]), on);
    expect(f.map((x) => x.sidetap.evidence.observed)).toEqual(['03:00 local (UTC-5)']);
  });

  it('stays silent a little outside the routine, for one stray request, and when switched off (the default)', async () => {
    expect(await detectAll(byTime([...week, ...burst(20)]), on)).toEqual([]);
    expect(await detectAll(byTime([...week, burst(3)[0]!]), on)).toEqual([]);
    expect(await detectAll(byTime([...week, ...burst(3)]), { learnMs: 7 * 24 * HOUR })).toEqual([]);
  });
});
