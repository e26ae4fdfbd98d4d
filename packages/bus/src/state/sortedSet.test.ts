// Member order of equal scores is UTF-8 byte order, as in Redis.
import { SortedSet, compareMembers } from './sortedSet';

describe('compareMembers', () => {
  it('orders like Buffer.compare of the UTF-8 bytes', () => {
    const alphabet = ['a', 'b', 'Z', 'é', 'ǅ', '\ud7ff', '\ue000', '\uffee', '🙂', '😀', '𝄞', ''];
    const strings: string[] = [];
    for (const x of alphabet) for (const y of alphabet) strings.push(x + y);
    const disagreements: string[] = [];
    for (const a of strings) {
      for (const b of strings) {
        const bytes = Buffer.compare(Buffer.from(a), Buffer.from(b));
        if (Math.sign(compareMembers(a, b)) !== bytes) disagreements.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

describe('SortedSet', () => {
  /** The same operations on a plain sorted list: what the set must answer. */
  class Model {
    items: Array<{ score: number; member: string }> = [];
    add(score: number, member: string): boolean {
      const old = this.items.findIndex((x) => x.member === member);
      if (old >= 0 && this.items[old]!.score === score) return false;
      if (old >= 0) this.items.splice(old, 1);
      this.items.push({ score, member });
      this.items.sort((a, b) => a.score - b.score || compareMembers(a.member, b.member));
      return old < 0;
    }
    removeFirst(n: number): number {
      return this.items.splice(0, Math.max(0, n)).length;
    }
    trimBefore(before: number): number {
      return this.removeFirst(this.items.filter((x) => x.score < before).length);
    }
    range(from: number, to: number, limit: number): Array<{ score: number; member: string }> {
      return this.items.filter((x) => x.score >= from && x.score <= to).slice(0, limit);
    }
  }

  it('answers like a plain sorted list through adds, moves, capping and trimming, across its compactions', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const set = new SortedSet();
    const model = new Model();
    let t = 0;
    for (let step = 0; step < 6000; step++) {
      t += random(3);
      const roll = random(100);
      if (roll < 70) {
        // Mostly new members at the newest time; now and then one moved back in time.
        const member = roll < 60 ? `m${step}` : `m${random(step + 1)}`;
        const score = roll < 60 ? t : t - random(50);
        expect(set.add(score, member)).toBe(model.add(score, member));
      } else if (roll < 85) {
        // A cap of 1500 members, as the store keeps: the oldest go one at a time.
        const over = set.size - 1500;
        expect(set.removeFirst(over)).toBe(model.removeFirst(over));
      } else if (roll < 90) {
        const before = t - 2000 - random(500);
        expect(set.trimBefore(before)).toBe(model.trimBefore(before));
      }
      expect(set.size).toBe(model.items.length);
      if (step % 97 === 0) {
        const from = t - random(4000);
        expect(set.range(from, t, 50)).toEqual(model.range(from, t, 50));
        expect(set.count(from, t)).toBe(model.range(from, t, Infinity).length);
      }
    }
    expect(set.range(-Infinity, Infinity, Infinity)).toEqual(model.items);
    // More removed than it holds takes what there is.
    expect(set.removeFirst(set.size + 10)).toBe(model.items.length);
    expect(set.size).toBe(0);
    expect(set.byteLength).toBe(0);
  });
});
