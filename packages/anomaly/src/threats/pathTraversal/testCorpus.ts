/**
 * Reads a payload corpus under fixtures/payloads/<category>: one value per line, `#` lines are
 * comments, and `\n`, `\t`, `\0` stand for newline, tab and NUL so a value can hold them.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PAYLOADS = join(__dirname, '../../../../../fixtures/payloads');

export function readCorpus(category: string, name: 'attacks.txt' | 'benign.txt'): string[] {
  return readFileSync(join(PAYLOADS, category, name), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.replace(/\\[nt0]/g, (e) => (e === '\\n' ? '\n' : e === '\\t' ? '\t' : '\0')));
}

/** Corpus checks every engine shares: size, recall, false positives and match shape. */
export function describeCorpus(
  title: string,
  category: string,
  detect: (value: string) => { fingerprint: string; fragment: string; confidence: number; reason: string } | undefined,
): void {
  const attacks = readCorpus(category, 'attacks.txt');
  const benign = readCorpus(category, 'benign.txt');
  describe(`${title} corpus`, () => {
    it('holds enough values to measure against', () => {
      expect(attacks.length).toBeGreaterThanOrEqual(120);
      expect(benign.length).toBeGreaterThanOrEqual(250);
    });

    it('detects at least 95% of the attack corpus', () => {
      const missed = attacks.filter((value) => detect(value) === undefined);
      const recall = 1 - missed.length / attacks.length;
      if (recall < 0.95) throw new Error(`recall ${recall.toFixed(4)}; missed:\n${missed.join('\n')}`);
    });

    it('flags at most 0.5% of the benign corpus', () => {
      const flagged = benign.flatMap((value) => {
        const m = detect(value);
        return m === undefined ? [] : [`${JSON.stringify(value)} -> ${m.fingerprint} ${m.confidence} (${m.reason})`];
      });
      const rate = flagged.length / benign.length;
      if (rate > 0.005) throw new Error(`false-positive rate ${rate.toFixed(4)}; flagged:\n${flagged.join('\n')}`);
    });

    it('reports well-formed matches for every detected attack', () => {
      for (const value of attacks) {
        const m = detect(value);
        if (m === undefined) continue;
        expect(m.confidence).toBeGreaterThan(0);
        expect(m.confidence).toBeLessThanOrEqual(1);
        expect(m.fragment.length).toBeGreaterThan(0);
        expect(m.fragment.length).toBeLessThanOrEqual(120);
        expect(m.fingerprint).toMatch(/^[a-z0-9:+*.\-_$]+$/);
        expect(m.reason.length).toBeGreaterThan(0);
      }
    });
  });
}
