import type { Event, Finding } from '@sidetap/core';
import { detectAll } from '../../testEngine';
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

  it('stays silent when the same total is spread like the learned day', async () => {
    const ordinary = Array.from({ length: 24 }, (_, i) => download(`o${i}`, T0 + 26 * HOUR + i * 40 * 60_000, 'ben', 20_000));
    expect(await detect([...learning, ...ordinary])).toEqual([]);
  });
});
