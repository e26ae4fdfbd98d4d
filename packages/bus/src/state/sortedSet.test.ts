// Member order of equal scores is UTF-8 byte order, as in Redis.
import { compareMembers } from './sortedSet';

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
