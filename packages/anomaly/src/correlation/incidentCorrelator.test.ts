import { MemoryStateStore } from '@sidetap/bus';
import type { Finding } from '@sidetap/core';
import { buildFinding } from '../findingDraft';
import type { FindingDraft } from '../findingDraft';
import { correlationConfigSchema, IncidentCorrelator } from './incidentCorrelator';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T10:00:00Z');

function finding(rule: string, t: number, over: Partial<FindingDraft> = {}): Finding {
  return buildFinding({
    detector: rule,
    rule: { id: `${rule}.x`, name: rule, category: rule as FindingDraft['rule']['category'] },
    severity: 2,
    confidence: 0.8,
    user: { name: 'alice@example.com' },
    actorKey: 'jwt:abc',
    window: { start: t, end: t },
    exchangeIds: [`ex-${rule}-${t}`],
    excerpts: [],
    message: 'm',
    ...over,
  });
}

async function correlate(findings: Finding[], config = {}): Promise<Finding[]> {
  const c = new IncidentCorrelator(correlationConfigSchema.parse(config), new MemoryStateStore());
  for (const f of findings) await c.correlate(f);
  return findings;
}

describe('IncidentCorrelator', () => {
  it('raises an actor\'s risk with several weak signals above any one of them', async () => {
    const [a, b, c] = await correlate([finding('device_change', T0), finding('impossible_travel', T0 + 60_000), finding('off_hours', T0 + 120_000)]);
    expect(a!.sidetap.incident!.risk_score).toBe(a!.event.risk_score);
    expect(b!.sidetap.incident!.risk_score).toBeGreaterThan(b!.event.risk_score);
    expect(c!.sidetap.incident!.risk_score).toBeGreaterThan(b!.sidetap.incident!.risk_score);
    expect(c!.sidetap.incident).toMatchObject({ id: a!.sidetap.incident!.id, findings: 3, categories: ['device_change', 'impossible_travel', 'off_hours'], start: a!.sidetap.evidence.window.start });
  });

  it('counts one rule once however often it repeats', async () => {
    const out = await correlate([0, 1, 2, 3, 4].map((k) => finding('scraping', T0 + k * 60_000)));
    expect(out[4]!.sidetap.incident!.risk_score).toBe(out[0]!.event.risk_score);
    expect(out[4]!.sidetap.incident!.findings).toBe(5);
  });

  it('lets old findings fade with the half-life', async () => {
    const [, late] = await correlate([finding('device_change', T0), finding('impossible_travel', T0 + 12 * HOUR)], { halfLifeMs: 6 * HOUR });
    const [, close] = await correlate([finding('device_change', T0), finding('impossible_travel', T0 + 60_000)], { halfLifeMs: 6 * HOUR });
    expect(late!.sidetap.incident!.risk_score).toBeLessThan(close!.sidetap.incident!.risk_score);
    expect(late!.sidetap.incident!.risk_score).toBeGreaterThan(late!.event.risk_score);
  });

  it('opens a new incident after a quiet gap, and keeps actors apart', async () => {
    const [a, b, c] = await correlate([finding('device_change', T0), finding('device_change', T0 + 30 * HOUR), finding('brute_force', T0 + 30 * HOUR + 1, { user: { name: 'bob@example.com' } })], { gapMs: 24 * HOUR });
    expect(b!.sidetap.incident!.id).not.toBe(a!.sidetap.incident!.id);
    expect(b!.sidetap.incident!.findings).toBe(1);
    expect(c!.sidetap.incident!.id).not.toBe(b!.sidetap.incident!.id);
  });

  it('gives the same incident ids on every run, and none to findings about no actor', async () => {
    const run = async () => (await correlate([finding('device_change', T0), finding('impossible_travel', T0 + 1)])).map((f) => f.sidetap.incident!.id);
    expect(await run()).toEqual(await run());
    const [endpoint] = await correlate([finding('volume_anomaly', T0, { user: {}, actorKey: undefined, endpoint: '/api/x' } as Partial<FindingDraft>)]);
    expect(endpoint!.sidetap.incident).toBeUndefined();
  });

  it('does nothing when disabled', async () => {
    const [a] = await correlate([finding('device_change', T0)], { enabled: false });
    expect(a!.sidetap.incident).toBeUndefined();
  });
});
