import { readCorpus } from './testCorpus';
import { detectXss } from './xssDetector';

// The corpora under fixtures/payloads/xss were written for sidetap; see the README there.
const attacks = readCorpus('attacks.txt');
const benign = readCorpus('benign.txt');

describe('XSS corpus', () => {
  it('holds enough values to measure against', () => {
    expect(attacks.length).toBeGreaterThanOrEqual(300);
    expect(benign.length).toBeGreaterThanOrEqual(600);
  });

  it('detects at least 97% of the attack corpus', () => {
    const missed = attacks.filter((value) => detectXss(value) === undefined);
    const recall = 1 - missed.length / attacks.length;
    if (recall < 0.97) throw new Error(`recall ${recall.toFixed(4)}; missed:\n${missed.join('\n')}`);
  });

  it('flags at most 0.5% of the benign corpus', () => {
    const flagged = benign.flatMap((value) => {
      const m = detectXss(value);
      return m === undefined ? [] : [`${JSON.stringify(value)} -> ${m.fingerprint} (${m.reason})`];
    });
    const rate = flagged.length / benign.length;
    if (rate > 0.005) throw new Error(`false-positive rate ${rate.toFixed(4)}; flagged:\n${flagged.join('\n')}`);
  });

  it('reports well-formed matches for every detected attack', () => {
    for (const value of attacks) {
      const m = detectXss(value);
      if (m === undefined) continue;
      expect(m.confidence).toBeGreaterThan(0);
      expect(m.confidence).toBeLessThanOrEqual(1);
      expect(m.fragment.length).toBeGreaterThan(0);
      expect(m.fragment.length).toBeLessThanOrEqual(120);
      expect(m.fingerprint).toMatch(/^[a-z0-9:+*.\-_]+$/);
      expect(m.reason.length).toBeGreaterThan(0);
    }
  });
});
