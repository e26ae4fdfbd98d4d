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
  it('fires when an account is busy at 03:00 of its own day, a night hour for everyone', async () => {
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

  it('never takes into the routine an hour in which another detector reported the account', async () => {
    // Two requests at 03:00 the night before (too few for off_hours), both SQL injections that
    // request_threats reports; back in the routine at 10:00. The next night is still judged.
    const night = [0, 1].map((k) => at(`i${k}`, T0 + 8 * 24 * HOUR + 8 * HOUR + k * 60_000, 'kim'));
    for (const e of night) e.url.query = "q=1' OR '1'='1";
    const morning = at('m', T0 + 8 * 24 * HOUR + 15 * HOUR, 'kim');
    const next = burst(3).map((e, k) => at(`x${k}`, Date.parse(e['@timestamp']) + 24 * HOUR, 'kim'));
    const f = await detectEvery(byTime([...week, ...night, morning, ...next]), on);
    expect(f.filter((x) => x.rule.category === 'sqli').length).toBeGreaterThan(0);
    expect(f.filter((x) => x.rule.category === 'off_hours').map((x) => x.sidetap.evidence.observed)).toEqual(['03:00 local (UTC-5)']);
  });

  it('stays silent a little outside the routine, for one stray request, and when switched off', async () => {
    expect(await detectAll(byTime([...week, ...burst(20)]), on)).toEqual([]);
    expect(await detectAll(byTime([...week, burst(3)[0]!]), on)).toEqual([]);
    expect(await detectAll(byTime([...week, ...burst(3)]), { learnMs: 7 * 24 * HOUR, detectors: { off_hours: { enabled: false } } })).toEqual([]);
  });

  it('is on by default', async () => {
    expect((await detectAll(byTime([...week, ...burst(3)]), { learnMs: 7 * 24 * HOUR })).map((x) => x.rule.category)).toEqual(['off_hours']);
  });

  it('judges no account whose routine it has watched for fewer than minActiveDays days', async () => {
    // One learned day, as by default: kim's night is unknown.
    const day = week.filter((e) => Date.parse(e['@timestamp']) < T0 + 30 * HOUR);
    const early = [0, 1, 2].map((k) => at(`e${k}`, T0 + 24 * HOUR + 8 * HOUR + k * 60_000, 'kim'));
    expect(await detectAll(byTime([...day, ...early]), { ...on, learnMs: 24 * HOUR })).toEqual([]);
    // The routine goes on being learned after the learning period, so a week later the same night is judged.
    expect((await detectAll(byTime([...week, ...burst(3)]), { ...on, learnMs: 24 * HOUR })).map((x) => x.sidetap.evidence.observed)).toEqual(['03:00 local (UTC-5)']);
  });

  it("keeps one routine per account: the JWT subject across the account's devices and logins", async () => {
    // kim's learned week came from an app whose token was never tied to a login (timeline jwt:kim);
    // the intruder logs in (timeline user:kim) with a token for the same subject.
    const app = week.map((e) => {
      if (e.user?.name !== 'kim') return e;
      const copy = structuredClone(e);
      copy.sidetap.session.timeline = 'jwt:kim';
      delete copy.user;
      return copy;
    });
    const f = await detectAll(byTime([...app, ...burst(3)]), on);
    expect(f.map((x) => x.user)).toEqual([{ name: 'kim' }]);
  });

  it('stays silent for a night owl and a night-shift worker at their own hours', async () => {
    // dan is up until 01:00 on most days (02:00 on one), eve works nights and shops around 03:00 on most days.
    const extra: Event[] = [];
    for (let d = 0; d < 7; d++) {
      for (const h of [22, 23, 24, ...(d === 3 ? [25] : [])]) extra.push(at(`dan${d}-${h}`, T0 + d * 24 * HOUR + (h + 5) * HOUR + 120_000, 'dan'));
      for (const h of d % 3 === 2 ? [16, 17] : [16, 17, 26, 27]) extra.push(at(`eve${d}-${h}`, T0 + d * 24 * HOUR + (h + 5) * HOUR + 180_000, 'eve'));
    }
    const late = (who: string, h: number) => [0, 1, 2].map((k) => at(`${who}-late${k}`, T0 + 8 * 24 * HOUR + (h + 5) * HOUR + k * 60_000, who));
    expect(await detectAll(byTime([...week, ...extra, ...late('dan', 1), ...late('eve', 3)]), on)).toEqual([]);
    // A long night of dan's running on from 01:00 to 05:40 carries his routine with it; the same 05:00 on its own does not.
    const night = Array.from({ length: 15 }, (_, k) => at(`dan-night${k}`, T0 + 8 * 24 * HOUR + 6 * HOUR + k * 20 * 60_000, 'dan'));
    expect(await detectAll(byTime([...week, ...extra, ...night]), on)).toEqual([]);
    expect((await detectAll(byTime([...week, ...extra, ...night.slice(12)]), on)).map((x) => x.sidetap.evidence.observed)).toEqual(['05:00 local (UTC-5)']);
  });

  it("never learns a night it reported, but learns a stray hour that raised nothing", async () => {
    const nightOf = (d: number, ids: string, n = 3) => [0, 1, 2].slice(0, n).map((k) => at(`${ids}${k}`, T0 + d * 24 * HOUR + 8 * HOUR + k * 60_000, 'kim'));
    // Reported on day 8, and on day 9 again: the first night taught nothing.
    const twice = await detectAll(byTime([...week, ...nightOf(8, 'a'), ...nightOf(9, 'b')]), on);
    expect(twice.map((x) => x.sidetap.evidence.window.start)).toEqual([new Date(T0 + 8 * 24 * HOUR + 8 * HOUR).toISOString(), new Date(T0 + 9 * 24 * HOUR + 8 * HOUR).toISOString()]);
    // Two requests an hour through the night: reported once three fall within an hour.
    const paced = [8 * 60 + 20, 8 * 60 + 30, 9 * 60 + 5].map((m, k) => at(`p${k}`, T0 + 8 * 24 * HOUR + m * 60_000, 'kim'));
    expect((await detectAll(byTime([...week, ...paced]), on)).map((x) => x.sidetap.evidence.exchange_ids)).toEqual([['p0', 'p1', 'p2']]);
    // One stray request at 03:00 on day 8 raised nothing and, once kim was back in her routine, taught the hour.
    const after = [at('noon', T0 + 8 * 24 * HOUR + 17 * HOUR, 'kim'), ...nightOf(9, 'c')];
    expect(await detectAll(byTime([...week, ...nightOf(8, 's', 1), ...after]), on)).toEqual([]);
  });
});
