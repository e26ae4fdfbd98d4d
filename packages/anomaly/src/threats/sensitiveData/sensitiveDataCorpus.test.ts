// Recall and false positives over the project's own corpus (fixtures/payloads/sensitive_data).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanSensitiveData } from './sensitiveDataScanner';
import { SENSITIVE_KINDS } from './sensitiveKinds';

const corpus = join(__dirname, '../../../../../fixtures/payloads/sensitive_data');
const OPTIONS = { maxScanChars: 262_144, bulkEmails: 20, bulkPhones: 20 };

interface Row {
  kind?: string;
  why?: string;
  body: string;
  mime?: string;
}

function load(name: string): Row[] {
  return readFileSync(join(corpus, name), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Row);
}

describe('sensitive data corpus', () => {
  const positives = load('positives.jsonl');
  const benign = load('benign.jsonl');

  it('is big enough to mean something and covers every kind', () => {
    expect(positives.length).toBeGreaterThanOrEqual(350);
    expect(benign.length).toBeGreaterThanOrEqual(800);
    expect(new Set(positives.map((p) => p.kind))).toEqual(new Set(SENSITIVE_KINDS));
  });

  it('finds the labelled kind in at least 95% of the positives', () => {
    const missed = positives.filter((p) => !scanSensitiveData(p.body, OPTIONS, p.mime).hits.some((h) => h.kind === p.kind));
    const recall = 1 - missed.length / positives.length;
    if (recall < 0.95) console.log(`missed ${missed.length}/${positives.length}:\n${missed.map((p) => `${p.kind}: ${p.body.slice(0, 200)}`).join('\n')}`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('reports at most 0.5% of the benign bodies', () => {
    const reported = benign.map((b) => ({ b, hits: scanSensitiveData(b.body, OPTIONS, b.mime).hits })).filter(({ hits }) => hits.length > 0);
    const rate = reported.length / benign.length;
    if (rate > 0.005) console.log(reported.map(({ b, hits }) => `${b.why}: ${b.body.slice(0, 160)}  [${hits.map((h) => `${h.kind} ${h.field ?? ''}`).join(', ')}]`).join('\n'));
    expect(rate).toBeLessThanOrEqual(0.005);
  });

  it('never returns a raw value of a positive in a hit', () => {
    for (const p of positives) {
      const out = JSON.stringify(scanSensitiveData(p.body, OPTIONS, p.mime).hits);
      // Long runs of value characters from the body never reach the hits.
      for (const token of p.body.match(/[A-Za-z0-9+/_$.-]{16,}/g) ?? []) {
        if (/^[$.A-Za-z_\-[\]*]+$/.test(token)) continue; // field names and paths
        expect(out).not.toContain(token);
      }
    }
  });
});
