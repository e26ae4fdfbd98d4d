import type { Event, Finding } from '@sidetap/core';
import { detectAll } from '../../testEngine';
import { event } from '../../testEvents';

const T0 = Date.UTC(2024, 4, 1, 0, 0, 0);
const HOUR = 3_600_000;

function search(i: number, at: number, q: string): Event {
  const path = `/api/v1/products`;
  const e = event({ id: `s${i}`, at, path, endpoint: path, actor: `jwt:user${i % 40}` });
  e.url = { original: `${path}?q=${encodeURIComponent(q)}&page=${1 + (i % 5)}`, path, query: `q=${encodeURIComponent(q)}&page=${1 + (i % 5)}` };
  return e;
}

const WORDS = ['blue', 'lamp', 'chair', 'garden', 'phone case', 'coffee', 'running shoes', 'desk', 'Kaffee', 'lámpara', 'sofa bed', 'kettle'];

// Only this detector's findings: the injections below are also request_threats' to report.
const run = async (events: Event[]): Promise<Finding[]> => (await detectAll(events, { learnMs: 2 * HOUR })).filter((f) => f.sidetap.detector === 'parameter_profiles');

describe('parameter_profiles (behavior_anomaly)', () => {
  const learning = Array.from({ length: 600 }, (_, i) => search(i, T0 + i * 10_000, `${WORDS[i % WORDS.length]!} ${i % 7 === 0 ? WORDS[(i * 5) % WORDS.length] : ''}`.trim()));

  it('learns during the learning period, then reports an injection naming the parameter', async () => {
    const attack = search(9999, T0 + 3 * HOUR, "lamp' UNION SELECT password FROM users--");
    const findings = await run([...learning, attack]);
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.rule.category).toBe('behavior_anomaly');
    expect(f.sidetap.evidence.exchange_ids).toEqual(['s9999']);
    expect(f.message).toContain('q');
  });

  it('stays quiet on new but ordinary values after learning', async () => {
    const later = ['table lamp', 'garden chair', 'coffee', 'blue desk', 'kettle'].map((q, k) => search(20_000 + k, T0 + 3 * HOUR + k * 1000, q));
    expect(await run([...learning, ...later])).toEqual([]);
  });

  it('reports nothing while everything is still learning', async () => {
    const attack = search(9999, T0 + 1000, "' OR 1=1--");
    expect(await run([attack, ...learning.slice(0, 10)])).toEqual([]);
  });
});
