// The behaviour every StateStore must show, run against each implementation by its own test file,
// so the memory and Redis stores answer every call alike. Event times are in 2001: no answer may
// depend on the wall clock.
import type { StateStore } from '@sidetap/core';
import type { StateStoreLimits } from './stateStoreConfig';

export type MakeStateStore = (limits?: Partial<StateStoreLimits>) => Promise<StateStore>;

const T0 = Date.UTC(2001, 8, 9, 12, 0, 0);
const MINUTE = 60_000;

function relativeError(estimate: number, truth: number): number {
  return Math.abs(estimate - truth) / truth;
}

function members(from: number, to: number, prefix = 'user-'): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(`${prefix}${i}`);
  return out;
}

export function describeStateStore(name: string, makeStore: MakeStateStore): void {
  describe(`StateStore behaviour: ${name}`, () => {
    const open: StateStore[] = [];
    const store = async (limits?: Partial<StateStoreLimits>): Promise<StateStore> => {
      const made = await makeStore(limits);
      open.push(made);
      return made;
    };
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });

    describe('windowed counters', () => {
      it('counts within a fixed window aligned to multiples of windowMs', async () => {
        const s = await store();
        expect(await s.incrWindow('login:ip', T0, MINUTE)).toBe(1);
        expect(await s.incrWindow('login:ip', T0 + MINUTE - 1, MINUTE)).toBe(2);
        expect(await s.incrWindow('login:ip', T0 + MINUTE, MINUTE)).toBe(1);
        expect(await s.incrWindow('login:ip', T0 + MINUTE + 5, MINUTE, 4)).toBe(5);
        expect(await s.incrWindow('other', T0, MINUTE)).toBe(1);
      });

      it('keeps each window length a separate counter', async () => {
        const s = await store();
        await s.incrWindow('k', T0, MINUTE);
        expect(await s.incrWindow('k', T0, 10 * MINUTE)).toBe(1);
        expect(await s.sumWindows('k', T0, MINUTE, 1)).toBe(1);
      });

      it('sums the last N windows ending with the one holding `at`, and nothing after it', async () => {
        const s = await store();
        for (let m = 0; m < 5; m++) await s.incrWindow('k', T0 + m * MINUTE + 30_000, MINUTE, m + 1);
        expect(await s.sumWindows('k', T0 + 4 * MINUTE, MINUTE, 1)).toBe(5);
        expect(await s.sumWindows('k', T0 + 4 * MINUTE + 59_999, MINUTE, 3)).toBe(5 + 4 + 3);
        expect(await s.sumWindows('k', T0 + 4 * MINUTE, MINUTE, 5)).toBe(15);
        expect(await s.sumWindows('k', T0 + 2 * MINUTE, MINUTE, 2)).toBe(3 + 2);
        expect(await s.sumWindows('k', T0 + 4 * MINUTE, MINUTE, 60)).toBe(15);
        expect(await s.sumWindows('absent', T0, MINUTE, 10)).toBe(0);
      });

      it('rejects a sum over more windows than it keeps, and bad arguments', async () => {
        const s = await store({ windowRetention: 10 });
        await expect(s.sumWindows('k', T0, MINUTE, 11)).rejects.toThrow(RangeError);
        await expect(s.sumWindows('k', T0, MINUTE, 0)).rejects.toThrow(RangeError);
        await expect(s.incrWindow('k', T0, 0)).rejects.toThrow(RangeError);
        await expect(s.incrWindow('k', T0, 1.5)).rejects.toThrow(RangeError);
        await expect(s.incrWindow('k', Number.NaN, MINUTE)).rejects.toThrow(RangeError);
        await expect(s.incrWindow('k', T0, MINUTE, 0.5)).rejects.toThrow(RangeError);
      });
    });

    describe('distinct counts', () => {
      it('says whether an add changed the sketch, and counts a few exactly', async () => {
        const s = await store();
        expect(await s.addDistinct('ips', ['10.0.0.1', '10.0.0.2'], T0)).toBe(true);
        expect(await s.addDistinct('ips', ['10.0.0.2', '10.0.0.1'], T0 + 1)).toBe(false);
        expect(await s.addDistinct('ips', [], T0 + 2)).toBe(false);
        expect(await s.addDistinct('ips', ['10.0.0.3'])).toBe(true);
        expect(await s.countDistinct(['ips'])).toBe(3);
        expect(await s.countDistinct(['absent'])).toBe(0);
        expect(await s.countDistinct([])).toBe(0);
      });

      it('treats a string and its UTF-8 bytes as one member', async () => {
        const s = await store();
        await s.addDistinct('names', ['zoë', 'user-🙂']);
        expect(await s.addDistinct('names', [Buffer.from('zoë'), new Uint8Array(Buffer.from('user-🙂'))])).toBe(false);
        expect(await s.countDistinct(['names'])).toBe(2);
      });

      it.each([1_000, 100_000])('estimates %i distinct members within 2%', async (n) => {
        const s = await store();
        for (let i = 0; i < n; i += 10_000) await s.addDistinct('big', members(i, Math.min(n, i + 10_000)), T0);
        // Repeats do not count.
        await s.addDistinct('big', members(0, Math.min(n, 5_000)), T0);
        expect(relativeError(await s.countDistinct(['big']), n)).toBeLessThan(0.02);
      });

      it('counts the union of several sketches', async () => {
        const s = await store();
        await s.addDistinct('a', members(0, 6_000), T0);
        await s.addDistinct('b', members(4_000, 10_000), T0);
        await s.addDistinct('c', members(20_000, 20_050), T0);
        expect(relativeError(await s.countDistinct(['a', 'b']), 10_000)).toBeLessThan(0.02);
        expect(relativeError(await s.countDistinct(['a', 'b', 'c', 'absent']), 10_050)).toBeLessThan(0.02);
      });
    });

    describe('sorted-set windows', () => {
      it('keeps the last login attempts of an actor by event time', async () => {
        const s = await store();
        for (let i = 0; i < 10; i++) expect(await s.zAdd('attempts:alice', T0 + i * 1_000, `ex-${i}`)).toBe(true);
        expect(await s.zCount('attempts:alice', T0 + 5_000, T0 + 9_000)).toBe(5);
        expect(await s.zRange('attempts:alice', T0 + 7_000, Infinity)).toEqual([
          { member: 'ex-7', score: T0 + 7_000 },
          { member: 'ex-8', score: T0 + 8_000 },
          { member: 'ex-9', score: T0 + 9_000 },
        ]);
        expect(await s.zTrim('attempts:alice', T0 + 8_000)).toBe(8);
        expect(await s.zRange('attempts:alice', -Infinity, Infinity)).toEqual([
          { member: 'ex-8', score: T0 + 8_000 },
          { member: 'ex-9', score: T0 + 9_000 },
        ]);
      });

      it('moves an existing member instead of adding it twice', async () => {
        const s = await store();
        expect(await s.zAdd('z', T0 + 5, 'a')).toBe(true);
        expect(await s.zAdd('z', T0 + 5, 'a')).toBe(false);
        expect(await s.zAdd('z', T0 + 1, 'a')).toBe(false);
        expect(await s.zRange('z', -Infinity, Infinity)).toEqual([{ member: 'a', score: T0 + 1 }]);
        expect(await s.zCount('z', T0 + 2, Infinity)).toBe(0);
      });

      it('orders equal scores by member bytes, bounds inclusively and limits', async () => {
        const s = await store();
        for (const member of ['b', 'a', 'é', '🙂', '\uffee', 'c']) await s.zAdd('z', T0, member);
        await s.zAdd('z', T0 - 1, 'z-before');
        await s.zAdd('z', T0 + 1, 'z-after');
        const atT0 = await s.zRange('z', T0, T0);
        expect(atT0.map((e) => e.member)).toEqual(['a', 'b', 'c', 'é', '\uffee', '🙂']);
        expect((await s.zRange('z', T0 - 1, T0 + 1, 2)).map((e) => e.member)).toEqual(['z-before', 'a']);
        expect(await s.zCount('z', T0 - 1, T0 + 1)).toBe(8);
        expect(await s.zCount('z', T0 + 1, T0 - 1)).toBe(0);
        expect(await s.zRange('z', T0 + 2, T0 + 3)).toEqual([]);
      });

      it('drops the lowest scores beyond maxSortedSetMembers', async () => {
        const s = await store({ maxSortedSetMembers: 3 });
        for (let i = 0; i < 5; i++) await s.zAdd('z', T0 + i, `m${i}`);
        expect((await s.zRange('z', -Infinity, Infinity)).map((e) => e.member)).toEqual(['m2', 'm3', 'm4']);
        // A late member below the kept ones is dropped at once.
        expect(await s.zAdd('z', T0 - 10, 'late')).toBe(true);
        expect(await s.zCount('z', -Infinity, Infinity)).toBe(3);
        expect(await s.zCount('z', -Infinity, T0)).toBe(0);
      });

      it('answers absent sets and trims to nothing', async () => {
        const s = await store();
        expect(await s.zCount('absent', -Infinity, Infinity)).toBe(0);
        expect(await s.zRange('absent', -Infinity, Infinity)).toEqual([]);
        expect(await s.zTrim('absent', T0)).toBe(0);
        await s.zAdd('z', T0, 'a');
        expect(await s.zTrim('z', -Infinity)).toBe(0);
        expect(await s.zTrim('z', T0)).toBe(0);
        expect(await s.zTrim('z', T0 + 1)).toBe(1);
        expect(await s.zCount('z', -Infinity, Infinity)).toBe(0);
        await expect(s.zCount('z', Number.NaN, 1)).rejects.toThrow(RangeError);
        await expect(s.zAdd('z', Infinity, 'a')).rejects.toThrow(RangeError);
      });
    });

    describe('values with an event-time TTL', () => {
      it('stores text and bytes', async () => {
        const s = await store();
        await s.set('model', 'v1 ünïcode', { now: T0 });
        expect(await s.get('model', T0)).toBe('v1 ünïcode');
        const bytes = Buffer.from([0, 1, 2, 255, 254]);
        await s.set('blob', bytes, { now: T0 });
        expect(await s.getBuffer('blob', T0)).toEqual(bytes);
        expect(await s.getBuffer('model', T0)).toEqual(Buffer.from('v1 ünïcode'));
        expect(await s.get('absent', T0)).toBeUndefined();
        expect(await s.getBuffer('absent', T0)).toBeUndefined();
      });

      it('keeps its own copy of a buffer', async () => {
        const s = await store();
        const bytes = Buffer.from('abc');
        await s.set('k', bytes, { now: T0 });
        bytes[0] = 0x7a;
        const read = (await s.getBuffer('k', T0))!;
        read[1] = 0x7a;
        expect(await s.get('k', T0)).toBe('abc');
      });

      it('expires by event time: present before now + ttl, gone from then on, whatever the wall clock says', async () => {
        const s = await store();
        // The wall clock is decades past T0 + ttl; only event time may decide.
        await s.set('session', 's-1', { now: T0, ttlMs: 30 * MINUTE });
        expect(await s.get('session', T0 + 30 * MINUTE - 1)).toBe('s-1');
        expect(await s.get('session', T0 + 30 * MINUTE)).toBeUndefined();
        expect(await s.getBuffer('session', T0 + 31 * MINUTE)).toBeUndefined();
      });

      it('replaces the TTL on every set, and a set without TTL never expires', async () => {
        const s = await store();
        await s.set('k', 'a', { now: T0, ttlMs: 1_000 });
        await s.set('k', 'b', { now: T0 + 500, ttlMs: 60_000 });
        expect(await s.get('k', T0 + 30_000)).toBe('b');
        await s.set('k', 'c', { now: T0 + 40_000 });
        expect(await s.get('k', T0 + 365 * 24 * 60 * MINUTE)).toBe('c');
      });

      it('deletes, and rejects bad arguments', async () => {
        const s = await store();
        await s.set('k', 'a', { now: T0 });
        await s.delete('k');
        await s.delete('absent');
        expect(await s.get('k', T0)).toBeUndefined();
        await expect(s.set('k', 'a', { now: T0, ttlMs: 0 })).rejects.toThrow(RangeError);
        await expect(s.set('k', 'a', { now: Number.NaN })).rejects.toThrow(RangeError);
        await expect(s.get('k', Infinity)).rejects.toThrow(RangeError);
      });
    });

    it('keeps the kinds of state apart under one name', async () => {
      const s = await store();
      await s.set('same', 'value', { now: T0 });
      await s.incrWindow('same', T0, MINUTE);
      await s.zAdd('same', T0, 'member');
      await s.addDistinct('same', ['member'], T0);
      expect(await s.get('same', T0)).toBe('value');
      expect(await s.sumWindows('same', T0, MINUTE, 1)).toBe(1);
      expect(await s.zCount('same', T0, T0)).toBe(1);
      expect(await s.countDistinct(['same'])).toBe(1);
    });
  });
}
