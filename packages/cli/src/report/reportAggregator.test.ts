import { findingSchema, sessionSummarySchema } from '@sidetap/core';
import { ReportAggregator } from './reportAggregator';
import { reportLimitsSchema } from './reportLimits';
import { incidentId, testFinding, testSession } from './testRecords';

const limits = reportLimitsSchema.parse({});
const at = (s: number): string => new Date(Date.parse('2024-05-01T12:00:00Z') + s * 1000).toISOString();

describe('ReportAggregator', () => {
  it('builds from records the core schemas accept', () => {
    expect(findingSchema.safeParse(testFinding({ at: at(0), actor: 'ip:10.0.0.1', incident: { id: incidentId(1), risk: 50, findings: 1 } })).success).toBe(true);
    expect(sessionSummarySchema.safeParse(testSession({ actor: 'ip:10.0.0.1', start: at(0), end: at(9), requests: 3 })).success).toBe(true);
  });

  it('counts findings by severity, category, OWASP risk and time, and skips unreadable records', () => {
    const a = new ReportAggregator(limits);
    a.addFinding(testFinding({ at: at(0), severity: 4, category: 'sqli', owasp: 'API8:2023' }));
    a.addFinding(testFinding({ at: at(30), severity: 2, category: 'enumeration', owasp: 'API1:2023' }));
    a.addFinding(testFinding({ at: at(59), severity: 2, category: 'enumeration' }));
    a.addFinding(undefined);
    a.addFinding({ '@timestamp': 'yesterday', event: { id: 'x', severity: 3 }, rule: { category: 'sqli' } });
    a.addFinding({ ...testFinding({ at: at(1) }), event: { id: 'x', severity: 9 } });
    const d = a.finish({ source: 'store' });
    expect(d.findings.total).toBe(3);
    expect(d.findings.skipped).toBe(3);
    expect(d.findings.bySeverity).toEqual([0, 2, 0, 1]);
    expect(d.findings.first).toBe(at(0));
    expect(d.findings.last).toBe(at(59));
    expect(d.byCategory).toEqual([
      { category: 'enumeration', family: 'Rate and abuse', count: 2 },
      { category: 'sqli', family: 'Request threats', count: 1 },
    ]);
    expect(d.byOwasp).toHaveLength(11);
    expect(d.byOwasp.find((o) => o.id === 'API1:2023')!.count).toBe(1);
    expect(d.byOwasp.find((o) => o.id === 'API8:2023')!.count).toBe(1);
    expect(d.byOwasp.find((o) => o.id === 'none')!.count).toBe(1);
    expect(d.timeline.bucketMs).toBe(1000);
    expect(d.timeline.counts).toHaveLength(60);
    expect(d.timeline.counts[0]).toEqual([0, 0, 0, 1]);
  });

  it('counts a finding or a session stored twice (a capture replayed again) once', () => {
    const a = new ReportAggregator(limits);
    const f = testFinding({ at: at(0), actor: 'ip:10.0.0.1', incident: { id: incidentId(1), risk: 50, findings: 1 } });
    const other = testFinding({ at: at(1), actor: 'ip:10.0.0.1' });
    for (const x of [f, other, f, structuredClone(f)]) a.addFinding(x);
    const s = testSession({ actor: 'ip:10.0.0.1', start: at(0), end: at(5), requests: 10 });
    a.addSession(s);
    a.addSession(structuredClone(s));
    const d = a.finish({ source: 'store' });
    expect(d.findings).toMatchObject({ total: 2, repeated: 2 });
    expect(d.incidents.shown[0]!.evidence).toHaveLength(1);
    expect(d.topActors.rows[0]!.findings).toBe(2);
    expect(d.sessions).toMatchObject({ total: 1, requests: 10 });
  });

  it('keeps findings from --since up to before --until, and sessions that overlap that span', () => {
    const a = new ReportAggregator(limits, { sinceMs: Date.parse(at(10)), untilMs: Date.parse(at(20)) });
    for (const s of [5, 10, 15, 20, 25]) a.addFinding(testFinding({ at: at(s), actor: 'ip:10.0.0.1' }));
    a.addSession(testSession({ actor: 'ip:10.0.0.1', start: at(0), end: at(12), requests: 4 }));
    a.addSession(testSession({ actor: 'ip:10.0.0.1', start: at(20), end: at(30), requests: 8 }));
    const d = a.finish({ source: 'store' });
    expect(d.findings.total).toBe(2);
    expect(d.findings.first).toBe(at(10));
    expect(d.findings.last).toBe(at(15));
    expect(d.sessions.total).toBe(1);
    expect(d.sessions.requests).toBe(4);
  });

  it('ranks actors and endpoints by findings, naming actors by user and keeping their highest risk', () => {
    const a = new ReportAggregator({ ...limits, topRows: 2 });
    const add = (actor: string, n: number, risk: number, user?: string): void => {
      for (let i = 0; i < n; i++) a.addFinding(testFinding({ at: at(i), actor, risk: risk + i, endpoint: `/api/${actor}`, ...(user ? { user } : {}) }));
    };
    add('jwt:alice', 5, 40, 'alice');
    add('ip:10.0.0.9', 3, 80);
    add('ip:10.0.0.8', 1, 99);
    a.addFinding(testFinding({ at: at(0) }));
    const d = a.finish({ source: 'store' });
    expect(d.topActors.rows.map((r) => [r.key, r.label, r.findings, r.maxRisk])).toEqual([
      ['jwt:alice', 'alice', 5, 44],
      ['ip:10.0.0.9', 'ip:10.0.0.9', 3, 82],
    ]);
    expect(d.topActors.exact).toBe(true);
    expect(d.topActors.distinctAtLeast).toBe(3);
    expect(d.topActors.withoutActor).toBe(1);
    expect(d.topEndpoints.rows[0]!.key).toBe('/api/jwt:alice');
    expect(d.topEndpoints.withoutEndpoint).toBe(1);
  });

  it('takes each incident\'s numbers from its findings\' running totals and shows its riskiest findings in time order', () => {
    const a = new ReportAggregator({ ...limits, findingsPerIncident: 2 });
    const id = incidentId(7);
    a.addFinding(testFinding({ at: at(0), risk: 30, actor: 'ip:10.0.0.1', category: 'sqli', incident: { id, risk: 30, findings: 1, categories: ['sqli'] } }));
    a.addFinding(testFinding({ at: at(5), risk: 90, actor: 'ip:10.0.0.1', category: 'xss', incident: { id, risk: 80, findings: 2, categories: ['sqli', 'xss'], start: at(0) } }));
    a.addFinding(testFinding({ at: at(9), risk: 60, actor: 'ip:10.0.0.1', category: 'sqli', incident: { id, risk: 95, findings: 3, categories: ['sqli', 'xss'], start: at(0) } }));
    a.addFinding(testFinding({ at: at(3), risk: 50, actor: 'ip:10.0.0.2', incident: { id: incidentId(8), risk: 50, findings: 1 } }));
    a.addFinding(testFinding({ at: at(4), risk: 65, category: 'shadow_api' }));
    const d = a.finish({ source: 'store' });
    expect(d.incidents.total).toBe(2);
    const [top, second] = d.incidents.shown;
    expect(top).toMatchObject({ id, actorKey: 'ip:10.0.0.1', risk: 95, findings: 3, categories: ['sqli', 'xss'], start: at(0), end: at(9) });
    expect(top!.evidence.map((f) => f.risk)).toEqual([90, 60]);
    expect(second!.id).toBe(incidentId(8));
    expect(d.loneFindings.total).toBe(1);
    expect(d.loneFindings.shown[0]!.category).toBe('shadow_api');
  });

  it('holds a bounded number of incidents and evidence however many findings stream past', () => {
    const small = { ...limits, incidents: 5, trackedIncidents: 10, findingsPerIncident: 3, loneFindings: 4, trackedKeys: 20 };
    const a = new ReportAggregator(small);
    for (let i = 0; i < 20_000; i++) {
      const n = i % 2000;
      a.addFinding(
        testFinding({
          at: at(i),
          risk: n === 1234 ? 99 : n % 50,
          actor: `ip:10.0.${n >> 8}.${n & 255}`,
          incident: { id: incidentId(n), risk: n === 1234 ? 99 : n % 50, findings: Math.floor(i / 2000) + 1 },
        }),
      );
      if (i % 7 === 0) a.addFinding(testFinding({ at: at(i), risk: i % 100 }));
    }
    const d = a.finish({ source: 'store' });
    expect(d.findings.total).toBe(20_000 + Math.ceil(20_000 / 7));
    expect(d.incidents.total).toBe(2000);
    expect(d.incidents.shown).toHaveLength(5);
    expect(d.incidents.shown[0]).toMatchObject({ id: incidentId(1234), risk: 99, findings: 10 });
    for (const inc of d.incidents.shown) expect(inc.evidence.length).toBeLessThanOrEqual(3);
    expect(d.loneFindings.shown).toHaveLength(4);
    expect(d.loneFindings.shown.every((f) => f.risk === 99)).toBe(true);
    expect(d.topActors.distinctAtLeast).toBeLessThanOrEqual(40);
    expect(d.topActors.exact).toBe(false);
    expect(d.timeline.counts.length).toBeLessThanOrEqual(small.timeBuckets);
  });

  it('tallies sessions of the actors on the page only, after every finding', () => {
    const a = new ReportAggregator({ ...limits, topRows: 1 });
    a.addFinding(testFinding({ at: at(0), actor: 'ip:10.0.0.1' }));
    a.addFinding(testFinding({ at: at(1), actor: 'ip:10.0.0.1' }));
    a.addFinding(testFinding({ at: at(2), actor: 'ip:10.0.0.2' }));
    a.addSession(testSession({ actor: 'ip:10.0.0.1', start: at(0), end: at(5), requests: 10, errors: 2, ips: ['10.0.0.1'], countries: ['NL'], devices: ['d1', 'd2'] }));
    a.addSession(testSession({ actor: 'ip:10.0.0.1', start: at(6), end: at(9), requests: 5, devices: ['d2'] }));
    a.addSession(testSession({ actor: 'ip:10.0.0.2', start: at(0), end: at(5), requests: 7 }));
    a.addSession({ not: 'a session' });
    expect(() => a.addFinding(testFinding({ at: at(3) }))).toThrow(/before the first session/);
    const d = a.finish({ source: 'store' });
    expect(d.sessions).toMatchObject({ total: 3, skipped: 1, requests: 22, errors: 2 });
    expect([...d.actors.keys()]).toEqual(['ip:10.0.0.1']);
    expect(d.actors.get('ip:10.0.0.1')).toEqual({ sessions: 2, requests: 15, errors: 2, clientIps: ['10.0.0.1'], countries: ['NL'], devices: 2 });
  });

  it('cuts hostile long strings when it reads them', () => {
    const a = new ReportAggregator({ ...limits, excerptChars: 50 });
    const long = 'A'.repeat(100_000);
    a.addFinding(testFinding({ at: at(0), message: long, excerpts: [long, long, long, long, long], observed: long, actor: long, incident: { id: incidentId(1), risk: 10, findings: 1 } }));
    const f = a.finish({ source: 'store' }).incidents.shown[0]!.evidence[0]!;
    expect(f.message.length).toBeLessThan(200);
    expect(f.excerpts).toHaveLength(3);
    expect(f.moreExcerpts).toBe(2);
    expect(f.excerpts[0]!.length).toBeLessThan(100);
    expect(f.observed!.length).toBeLessThan(100);
    expect(f.actorKey!.length).toBeLessThan(300);
  });
});
