import type { Event, Finding } from '@sidetap/core';
import { detectAll, detectShared } from '../../testEngine';
import { event } from '../../testEvents';

const T0 = Date.UTC(2024, 4, 1, 0, 0, 0);
const HOUR = 3_600_000;

const detect = (events: Event[]): Promise<Finding[]> => detectAll(events, { learnMs: 24 * HOUR });

function download(id: string, at: number, user: string, bytes: number): Event {
  const e = event({ id, at, actor: `jwt:${user}`, user, path: '/api/v1/customers', endpoint: '/api/v1/customers' });
  e.destination.bytes = bytes;
  return e;
}

describe('data_exfiltration', () => {
  // A day of ordinary use: each user a few 20 KB pages an hour.
  const learning = Array.from({ length: 24 * 3 }, (_, i) => download(`l${i}`, T0 + i * 20 * 60_000, i % 2 ? 'ann' : 'ben', 20_000));

  it('fires when a timeline takes out far more in an hour than it and anyone did while learning', async () => {
    const burst = Array.from({ length: 60 }, (_, i) => download(`b${i}`, T0 + 26 * HOUR + i * 30_000, 'ann', 100_000));
    const f = await detect([...learning, ...burst]);
    expect(f.map((x) => x.rule.id)).toEqual(['data_exfiltration.burst']);
    expect(f[0]!.user).toEqual({ name: 'ann' });
    // The endpoint that carried it is named.
    expect(f[0]!.sidetap.endpoint).toBe('/api/v1/customers');
    expect(f[0]!.message).toContain('; 100% of it from GET /api/v1/customers;');
  });

  it('names an endpoint only when it carried at least half of the bytes', async () => {
    const at = (i: number) => T0 + 26 * HOUR + i * 30_000;
    const mixed = Array.from({ length: 60 }, (_, i) => {
      const path = ['/api/v1/customers', '/api/v1/orders', '/api/v1/invoices'][i % 3]!;
      const e = event({ id: `m${i}`, at: at(i), actor: 'jwt:ann', user: 'ann', path, endpoint: path });
      e.destination.bytes = 100_000;
      return e;
    });
    const f = await detect([...learning, ...mixed]);
    expect(f.map((x) => [x.rule.id, x.sidetap.endpoint])).toEqual([['data_exfiltration.burst', undefined]]);
    expect(f[0]!.message).not.toContain('of it from');
  });

  it("does not let one odd timeline's busiest hour raise everyone's bar", async () => {
    // While learning, one client took 480 KB in an hour: three times that, faded a little by the
    // next day (1.3 MB), would let the 1.1 MB hour below pass. The cohort's bar is its second
    // busiest timeline's (20 KB pages).
    const odd = Array.from({ length: 24 }, (_, i) => download(`x${i}`, T0 + 3 * HOUR + i * 60_000, 'scrapy', 20_000));
    const burst = Array.from({ length: 11 }, (_, i) => download(`b${i}`, T0 + 26 * HOUR + i * 60_000, 'carl', 100_000));
    const byTime = (es: Event[]) => [...es].sort((a, b) => a['@timestamp'].localeCompare(b['@timestamp']));
    const f = await detect(byTime([...learning, ...odd, ...burst]));
    expect(f.map((x) => [x.rule.id, x.user?.name])).toEqual([['data_exfiltration.burst', 'carl']]);
    const byMax = await detectAll(byTime([...learning, ...odd, ...burst]), { learnMs: 24 * HOUR, detectors: { data_exfiltration: { cohortRank: 1 } } });
    expect(byMax).toEqual([]);
  });

  it('judges a burst over the last 60 minutes, whatever clock hours it straddles', async () => {
    // 1.2 MB in 30 minutes across the turn of the hour: 0.6 MB in each clock hour.
    const burst = Array.from({ length: 60 }, (_, i) => download(`b${i}`, T0 + 26 * HOUR + 45 * 60_000 + i * 30_000, 'ann', 20_000));
    const f = await detect([...learning, ...burst]);
    expect(f.map((x) => [x.rule.id, x.sidetap.evidence.observed])).toEqual([['data_exfiltration.burst', '1.0 MB in 1 hour']]);
  });

  it('stays silent for the same ordinary use after learning', async () => {
    const later = Array.from({ length: 12 }, (_, i) => download(`o${i}`, T0 + 26 * HOUR + i * 20 * 60_000, 'ben', 20_000));
    expect(await detect([...learning, ...later])).toEqual([]);
  });
});

describe('data_exfiltration slow drip', () => {
  // A day of ordinary use: each user a few 20 KB pages an hour, through office hours.
  const learning = Array.from({ length: 24 * 3 }, (_, i) => download(`l${i}`, T0 + i * 20 * 60_000, i % 2 ? 'ann' : 'ben', 20_000));

  it('fires when hours of modest requests add up to far more than anyone took in as long while learning', async () => {
    // 60 KB every 5 minutes: never a busy hour (720 KB, under the hourly floor), but 5.8 MB over 8 hours.
    const drip = Array.from({ length: 96 }, (_, i) => download(`d${i}`, T0 + 26 * HOUR + i * 5 * 60_000, 'ben', 60_000));
    const f = await detect([...learning, ...drip]);
    expect(f.map((x) => x.rule.id)).toEqual(['data_exfiltration.drip']);
    expect(f[0]!.user).toEqual({ name: 'ben' });
    expect(f[0]!.message).toContain('in 8 hours');
  });

  it('holds a timeline far quieter than the busiest to the busiest itself, others to three times it', async () => {
    // carl took 2 KB an hour while learning, ann and ben about 30 KB (240 KB over 8 hours). 20 KB every 20
    // minutes for 8 hours (480 KB) is far beyond carl's habit and past anyone's busiest 8 hours, not three times it.
    const quiet = [0, 6, 12, 18].map((h) => download(`q${h}`, T0 + h * HOUR + 600_000, 'carl', 2_000));
    const exportOf = (who: string) => Array.from({ length: 24 }, (_, i) => download(`${who}${i}`, T0 + 26 * HOUR + i * 20 * 60_000, who, 20_000));
    const config = { learnMs: 24 * HOUR, detectors: { data_exfiltration: { minDripBytes: 100_000 } } };
    const byTime = (es: Event[]) => [...es].sort((a, b) => a['@timestamp'].localeCompare(b['@timestamp']));
    const f = await detectAll(byTime([...learning, ...quiet, ...exportOf('carl')]), config);
    expect(f.map((x) => [x.rule.id, x.user?.name])).toEqual([['data_exfiltration.drip', 'carl']]);
    expect(await detectAll(byTime([...learning, ...quiet, ...exportOf('ben')]), config)).toEqual([]);
  });

  it('stays silent when one earlier hour holds most of the span: a burst the hourly limit let pass is no drip', async () => {
    // 900 KB in one hour (under the 1 MB hourly limit), then 20 KB an hour: past the drip limit
    // (three times the 240 KB anyone learned over 8 hours) once four of those hours are in, each small itself.
    const burst = Array.from({ length: 30 }, (_, i) => download(`b${i}`, T0 + 26 * HOUR + i * 60_000, 'ben', 30_000));
    const after = Array.from({ length: 6 }, (_, i) => download(`a${i}`, T0 + 27 * HOUR + 600_000 + i * HOUR, 'ben', 20_000));
    expect(await detect([...learning, ...burst, ...after])).toEqual([]);
    // The same bytes spread over the hours are a drip.
    const even = Array.from({ length: 36 }, (_, i) => download(`e${i}`, T0 + 26 * HOUR + i * 10 * 60_000, 'ben', 30_000));
    expect((await detect([...learning, ...even])).map((x) => x.rule.id)).toEqual(['data_exfiltration.drip']);
  });

  it('stays silent when the same total is spread like the learned day', async () => {
    const ordinary = Array.from({ length: 24 }, (_, i) => download(`o${i}`, T0 + 26 * HOUR + i * 40 * 60_000, 'ben', 20_000));
    expect(await detect([...learning, ...ordinary])).toEqual([]);
  });
});

describe('data_exfiltration after learning', () => {
  const learning = Array.from({ length: 24 * 3 }, (_, i) => download(`l${i}`, T0 + i * 20 * 60_000, i % 2 ? 'ann' : 'ben', 20_000));

  it('follows a timeline whose use grows slowly', async () => {
    // ben's 30 KB an hour grows 10% an hour for 60 hours, to 9 MB an hour: each hour teaches once it is 8 hours old.
    const growing = Array.from({ length: 60 * 6 }, (_, i) => download(`g${i}`, T0 + 24 * HOUR + i * 10 * 60_000, 'ben', Math.round(5000 * 1.1 ** Math.floor(i / 6))));
    expect(await detect([...learning, ...growing])).toEqual([]);
    // The last of those hours right after learning is far beyond anything learned.
    const jump = growing.slice(-6).map((e, i) => download(`j${i}`, T0 + 25 * HOUR + i * 10 * 60_000, 'ben', e.destination.bytes!));
    expect((await detect([...learning, ...jump])).map((x) => x.rule.id)).toEqual(['data_exfiltration.burst']);
  });

  it('learns no hour of a timeline while another detector reports its actor', async () => {
    // The same growth, but once an hour ben's request carries an SQL injection that request_threats
    // reports: none of those hours teaches, so the growth is reported once it passes the limit.
    const growing = Array.from({ length: 60 * 6 }, (_, i) => download(`g${i}`, T0 + 24 * HOUR + i * 10 * 60_000, 'ben', Math.round(5000 * 1.1 ** Math.floor(i / 6))));
    for (const e of growing.filter((_, i) => i % 6 === 0)) e.url.query = "id=1' OR '1'='1";
    const f = await detect([...learning, ...growing]);
    expect(f.filter((x) => x.rule.category === 'sqli').length).toBeGreaterThan(0);
    expect(f.filter((x) => x.rule.category === 'data_exfiltration').map((x) => x.user?.name)).toContain('ben');
  });

  it('finds the same with two engines sharing one store (as over Redis) as with one', async () => {
    // Each engine keeps the values it wrote last parsed; the other's writes must be read afresh.
    const growing = Array.from({ length: 60 * 6 }, (_, i) => download(`g${i}`, T0 + 24 * HOUR + i * 10 * 60_000, 'ben', Math.round(5000 * 1.1 ** Math.floor(i / 6))));
    const jump = Array.from({ length: 30 }, (_, i) => download(`j${i}`, T0 + 90 * HOUR + i * 60_000, 'ann', 200_000));
    const events = [...learning, ...growing, ...jump];
    const seen = (f: Finding[]) => f.filter((x) => x.rule.category === 'data_exfiltration').map((x) => `${x.user?.name} ${x.rule.id} ${x.sidetap.evidence.observed}`);
    const one = seen(await detectAll(events, { learnMs: 24 * HOUR }));
    expect(one).toHaveLength(1);
    expect(seen(await detectShared(events, { learnMs: 24 * HOUR }, 2))).toEqual(one);
  });

  // The drip test above also holds this: a drip's own early hours must not teach before it reaches the limit.
  it('never learns the hours it reported, nor those around them', async () => {
    // 6 MB in an hour, reported; nine hours later 1.5 MB in an hour is still far beyond ann's learned use.
    const burst = Array.from({ length: 60 }, (_, i) => download(`b${i}`, T0 + 26 * HOUR + i * 60_000, 'ann', 100_000));
    const ordinary = Array.from({ length: 8 }, (_, i) => download(`o${i}`, T0 + 28 * HOUR + i * HOUR, 'ann', 20_000));
    const again = Array.from({ length: 15 }, (_, i) => download(`a${i}`, T0 + 36 * HOUR + i * 60_000, 'ann', 100_000));
    const f = await detect([...learning, ...burst, ...ordinary, ...again]);
    expect(f.map((x) => [x.rule.id, x.sidetap.evidence.observed])).toEqual([
      ['data_exfiltration.burst', '1.1 MB in 1 hour'],
      ['data_exfiltration.burst', '1.1 MB in 1 hour'],
    ]);
    expect(f[1]!.sidetap.evidence.expected).toMatch(/^under 1\.0 MB \(own busiest learned 1 hour 0\.0 MB/);
  });
});
