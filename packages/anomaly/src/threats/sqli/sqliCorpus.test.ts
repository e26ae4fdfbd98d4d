// Recall and false positives over the project's own corpus (fixtures/payloads/sqli).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectSqli } from './sqliDetector';

const corpus = join(__dirname, '../../../../../fixtures/payloads/sqli');

function load(name: string): string[] {
  return readFileSync(join(corpus, name), 'utf8')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

describe('SQL injection corpus', () => {
  const attacks = load('attacks.txt');
  const benign = load('benign.txt');

  it('is big enough to mean something', () => {
    expect(attacks.length).toBeGreaterThanOrEqual(300);
    expect(benign.length).toBeGreaterThanOrEqual(600);
  });

  it('finds at least 97% of the attacks', () => {
    const missed = attacks.filter((value) => detectSqli(value) === undefined);
    const recall = 1 - missed.length / attacks.length;
    if (recall < 0.97) console.log(`missed ${missed.length}/${attacks.length}:\n${missed.join('\n')}`);
    expect(recall).toBeGreaterThanOrEqual(0.97);
  });

  it('reports at most 0.5% of the benign values', () => {
    const reported = benign
      .map((value) => ({ value, match: detectSqli(value) }))
      .filter(({ match }) => match !== undefined);
    const rate = reported.length / benign.length;
    if (rate > 0.005) {
      console.log(reported.map(({ value, match }) => `${value}  [${match?.fingerprint}: ${match?.reason}]`).join('\n'));
    }
    expect(rate).toBeLessThanOrEqual(0.005);
  });
});
