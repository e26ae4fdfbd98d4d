// Correlation: an actor's findings close together in event time form one incident, whose risk is
// the decayed combination of its rules' risks. Each rule counts once (its strongest, decayed), and
// rules combine like independent evidence (1 - Π(1 - r)), so several weak signals together raise
// an actor above what any one of them says, while one noisy rule repeating does not.
// The state lives in the shared store, so engine instances over Kafka build the same incident.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseIsoTime } from '@sidetap/core';
import type { Finding, StateStore } from '@sidetap/core';

const HOUR = 3_600_000;

export const correlationConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Group each actor\'s findings into incidents with a combined risk score.'),
    halfLifeMs: z
      .number()
      .int()
      .min(60_000)
      .default(6 * HOUR)
      .describe('Event time over which a finding\'s weight in its incident\'s risk halves.'),
    gapMs: z
      .number()
      .int()
      .min(60_000)
      .default(24 * HOUR)
      .describe('An actor\'s finding more than this after its previous one opens a new incident.'),
    maxRules: z.number().int().min(1).max(1000).default(50).describe('Distinct rules remembered per incident (the weakest is forgotten first).'),
  })
  .strict();

export type CorrelationConfig = z.output<typeof correlationConfigSchema>;

interface IncidentState {
  id: string;
  start: number;
  last: number;
  findings: number;
  /** rule id → [risk 0..1 at its time, event time, category]. */
  rules: Record<string, [number, number, string]>;
}

/** Who an incident is about: the person when known (their tokens are linked), else the actor key, else the address. */
function incidentKey(f: Finding): string | undefined {
  const user = f.user?.name ?? f.user?.id;
  if (user !== undefined) return `user:${user}`;
  if (f.sidetap.actor_key !== undefined) return f.sidetap.actor_key;
  if (f.source?.ip !== undefined) return `ip:${f.source.ip}`;
  return undefined;
}

export class IncidentCorrelator {
  constructor(
    private readonly config: CorrelationConfig,
    private readonly state: StateStore,
  ) {}

  /** Adds `sidetap.incident` to a finding about an actor; endpoint-wide findings are left as they are. */
  async correlate(f: Finding): Promise<void> {
    const key = incidentKey(f);
    if (!this.config.enabled || key === undefined) return;
    const t = parseIsoTime(f['@timestamp']);
    const stateKey = `incident:${key}`;
    const text = await this.state.get(stateKey, t);
    let inc = text === undefined ? undefined : (JSON.parse(text) as IncidentState);
    if (inc === undefined || t - inc.last > this.config.gapMs) {
      inc = { id: incidentId(key, f.event.id), start: Date.parse(f.sidetap.evidence.window.start), last: t, findings: 0, rules: {} };
    }
    inc.findings++;
    inc.last = Math.max(inc.last, t);
    const risk = f.event.risk_score / 100;
    const held = inc.rules[f.rule.id];
    if (held === undefined || this.decayed(held, t) <= risk) inc.rules[f.rule.id] = [risk, t, f.rule.category];
    this.forgetWeakest(inc, t);
    await this.state.set(stateKey, JSON.stringify(inc), { now: t, ttlMs: this.config.gapMs });
    const rules = Object.values(inc.rules);
    f.sidetap.incident = {
      id: inc.id,
      risk_score: Math.round(100 * (1 - rules.reduce((p, r) => p * (1 - this.decayed(r, t)), 1))),
      findings: inc.findings,
      categories: [...new Set(rules.map((r) => r[2]))].sort() as NonNullable<Finding['sidetap']['incident']>['categories'],
      start: new Date(inc.start).toISOString(),
    };
  }

  private decayed([risk, at]: [number, number, string], t: number): number {
    return risk * 2 ** (-Math.max(0, t - at) / this.config.halfLifeMs);
  }

  private forgetWeakest(inc: IncidentState, t: number): void {
    const entries = Object.entries(inc.rules);
    if (entries.length <= this.config.maxRules) return;
    entries.sort((a, b) => this.decayed(a[1], t) - this.decayed(b[1], t) || (a[0] < b[0] ? -1 : 1));
    for (const [rule] of entries.slice(0, entries.length - this.config.maxRules)) delete inc.rules[rule];
  }
}

/** Deterministic: the same actor and the same opening finding give the same incident on every replay. */
function incidentId(key: string, firstFindingId: string): string {
  return createHash('sha256').update(JSON.stringify([key, firstFindingId])).digest('hex').slice(0, 32);
}
