import { DirectoryModelStore, MemoryStateStore } from '@sidetap/bus';
import { Counters } from '@sidetap/core';
import type { Event } from '@sidetap/core';
import { pino } from 'pino';
import { anomalyConfigSchema } from './anomalyConfig';
import { createAnomalyEngine } from './anomalyEngine';
import { LearningGate } from './learningGate';
import { event } from './testEvents';

const MIN = 60_000;
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

describe('LearningGate', () => {
  it('teaches what an event deferred once it is settled, and drops it when the event raised a finding', async () => {
    const gate = new LearningGate(10 * MIN);
    const taught: string[] = [];
    gate.defer(() => void taught.push('clean'));
    expect(await gate.settle('user:a', T0)).toBe(0);
    gate.defer(() => void taught.push('reported'));
    gate.raisedNow();
    expect(await gate.settle('user:b', T0)).toBe(1);
    gate.defer(async () => void taught.push('async'));
    expect(await gate.settle('user:c', T0)).toBe(0);
    expect(taught).toEqual(['clean', 'async']);
  });

  it("holds an actor's traffic for holdMs after a finding about it, and only that actor's", async () => {
    const gate = new LearningGate(10 * MIN);
    gate.noteFinding('user:mallory', T0);
    const settle = async (actor: string, t: number): Promise<number> => {
      gate.defer(() => undefined);
      return gate.settle(actor, t);
    };
    expect(await settle('user:mallory', T0 + 9 * MIN)).toBe(1);
    expect(await settle('user:alice', T0 + 9 * MIN)).toBe(0);
    expect(await settle('user:mallory', T0 + 11 * MIN)).toBe(0);
    expect(gate.reportedSince('user:mallory', T0)).toBe(true);
    expect(gate.reportedSince('user:mallory', T0 + 1)).toBe(false);
    expect(gate.reportedSince(undefined, 0)).toBe(false);
  });

  it('forgets the actors reported longest ago beyond its bound, and says so', () => {
    let forgotten = 0;
    const gate = new LearningGate(MIN, 2, () => forgotten++);
    gate.noteFinding('a', T0);
    gate.noteFinding('b', T0 + 1);
    gate.noteFinding('a', T0 + 2); // reported again: now the newest
    gate.noteFinding('c', T0 + 3);
    expect(['a', 'b', 'c'].map((k) => gate.reportedSince(k, 0))).toEqual([true, false, true]);
    expect(forgotten).toBe(1);
  });
});

describe('learning across detectors', () => {
  const search = (i: number, at: number, actor: string, query: string): Event => {
    const e = event({ id: `s${i}`, at, actor, ip: '203.0.113.40', method: 'GET', path: `/api/v1/search?${query}`, endpoint: '/api/v1/search' });
    e.url.query = query;
    return e;
  };
  /** An hour of learning: many people searching. */
  const learningHour = Array.from({ length: 60 }, (_, i) => search(i, T0 + i * MIN, `user:u${i % 12}`, `q=${['shoes', 'red dress', 'socks', 'hat'][i % 4]}`));
  const injection = "q=shoes&debug=1'%20OR%20'1'%3D'1";

  async function run(events: Event[], config: object = {}): Promise<{ model: string; counters: Counters; rules: string[] }> {
    const counters = new Counters();
    const engine = createAnomalyEngine(anomalyConfigSchema.parse({ learnMs: 60 * MIN, ...config }), {
      logger: pino({ level: 'silent' }),
      counters,
      storeDir: '/nonexistent',
      models: new DirectoryModelStore('/nonexistent'),
      state: new MemoryStateStore({ kind: 'memory' }),
    });
    const findings = [...(await engine.process(events)), ...(await engine.flush(Number.MAX_SAFE_INTEGER))];
    return { model: JSON.stringify(engine.exportModels(['test']).detectors['parameter_profiles']), counters, rules: findings.map((f) => f.rule.id) };
  }

  it('does not learn a parameter from a request another detector reported, nor from its sender for learningHoldMs', async () => {
    const attack = search(100, T0 + 70 * MIN, 'ip:198.51.100.66', injection);
    // The same sender, quiet again but inside the hold: still nothing learned from it.
    const after = search(101, T0 + 75 * MIN, 'ip:198.51.100.66', 'q=shoes&debug=1');
    const { model, counters, rules } = await run([...learningHour, attack, after]);
    expect(rules.some((r) => r.startsWith('sqli'))).toBe(true);
    expect(model).not.toContain('debug');
    expect(counters.get('anomaly_learning_held_total')).toBeGreaterThanOrEqual(2);

    // Past the hold, the same request teaches: the parameter is learned.
    const later = search(102, T0 + 140 * MIN, 'ip:198.51.100.66', 'q=shoes&debug=1');
    expect((await run([...learningHour, attack, later])).model).toContain('debug');
    // And with no hold, the quiet request teaches at once, while the reported one still never does.
    expect((await run([...learningHour, attack, after], { learningHoldMs: 0 })).model).toContain('debug');
  });
});
