import { findingId, findingSchema } from './finding';
import { sampleFinding } from './testRecords';

function issuePaths(input: unknown): PropertyKey[][] {
  const result = findingSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path);
}

describe('findingSchema', () => {
  it('accepts a finding', () => {
    expect(findingSchema.parse(sampleFinding())).toEqual(sampleFinding());
  });

  it('accepts a finding with only the required fields', () => {
    const f = sampleFinding();
    const minimal = {
      '@timestamp': f['@timestamp'],
      event: f.event,
      rule: f.rule,
      message: f.message,
      sidetap: {
        detector: f.sidetap.detector,
        evidence: { exchange_ids: ['ex-1'], excerpts: [], window: { start: f['@timestamp'], end: f['@timestamp'] } },
        capture_quality: { complete: true, flags: [] },
      },
    };
    expect(findingSchema.safeParse(minimal).success).toBe(true);
  });

  it('rejects a category outside the taxonomy at rule.category', () => {
    const f = sampleFinding();
    expect(issuePaths({ ...f, rule: { ...f.rule, category: 'bola' } })).toEqual([['rule', 'category']]);
  });

  it.each([0, 5, 2.5])('rejects severity %p at event.severity', (severity) => {
    const f = sampleFinding();
    expect(issuePaths({ ...f, event: { ...f.event, severity } })).toEqual([['event', 'severity']]);
  });

  it('rejects a risk score over 100, an event kind other than alert and a random id', () => {
    const f = sampleFinding();
    const bad = { ...f, event: { ...f.event, kind: 'event', id: '6f1c2d9e-uuid', risk_score: 101 } };
    expect(issuePaths(bad)).toEqual([
      ['event', 'kind'],
      ['event', 'id'],
      ['event', 'risk_score'],
    ]);
  });

  it('rejects an OWASP id of another edition and a technique that is not MITRE ATT&CK', () => {
    const f = sampleFinding();
    const bad = { ...f, threat: { technique: { id: ['1110'] } }, sidetap: { ...f.sidetap, owasp_api: 'API1:2019' } };
    expect(issuePaths(bad)).toEqual([
      ['threat', 'technique', 'id', 0],
      ['sidetap', 'owasp_api'],
    ]);
  });

  it('rejects evidence without exchanges and a window that ends before it starts', () => {
    const f = sampleFinding();
    const evidence = { ...f.sidetap.evidence, exchange_ids: [], window: { start: '2024-05-01T12:00:05Z', end: '2024-05-01T12:00:04Z' } };
    expect(issuePaths({ ...f, sidetap: { ...f.sidetap, evidence } })).toEqual([
      ['sidetap', 'evidence', 'exchange_ids'],
      ['sidetap', 'evidence', 'window', 'end'],
    ]);
  });

  it('rejects a window time that is not ISO 8601 UTC', () => {
    const f = sampleFinding();
    const evidence = { ...f.sidetap.evidence, window: { start: '1714564800', end: f['@timestamp'] } };
    expect(issuePaths({ ...f, sidetap: { ...f.sidetap, evidence } })).toEqual([['sidetap', 'evidence', 'window', 'start']]);
  });

  it('rejects capture quality that contradicts its flags', () => {
    const f = sampleFinding();
    const withQuality = (q: unknown): unknown => ({ ...f, sidetap: { ...f.sidetap, capture_quality: q } });
    expect(issuePaths(withQuality({ complete: true, flags: ['gap'] }))).toEqual([['sidetap', 'capture_quality', 'complete']]);
    expect(issuePaths(withQuality({ complete: false, flags: ['pipelined'] }))).toEqual([['sidetap', 'capture_quality', 'complete']]);
    expect(issuePaths(withQuality({ complete: true, flags: ['pipelined'] }))).toEqual([]);
  });
});

describe('findingId', () => {
  const window = { start: '2024-05-01T12:00:00.123Z', end: '2024-05-01T12:00:04.500Z' };
  const parts = { ruleId: 'enumeration.sequential_ids', exchangeIds: ['ex-2', 'ex-1', 'ex-3'], window };

  it('is 32 lower-case hex characters, accepted as event.id', () => {
    const id = findingId(parts);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const f = sampleFinding();
    expect(findingSchema.safeParse({ ...f, event: { ...f.event, id } }).success).toBe(true);
  });

  it('is the same on every run (pinned: changing it re-ids every stored finding)', () => {
    expect(findingId(parts)).toBe(findingId({ ...parts }));
    expect(findingId(parts)).toBe('5f1846e6f304bb20fc8be48157b8298f');
  });

  it('ignores the order and repetition of exchange ids', () => {
    const id = findingId(parts);
    expect(findingId({ ...parts, exchangeIds: ['ex-1', 'ex-2', 'ex-3'] })).toBe(id);
    expect(findingId({ ...parts, exchangeIds: ['ex-3', 'ex-1', 'ex-2', 'ex-1'] })).toBe(id);
  });

  it('changes with the rule, the evidence and the window', () => {
    const id = findingId(parts);
    expect(findingId({ ...parts, ruleId: 'enumeration.other' })).not.toBe(id);
    expect(findingId({ ...parts, exchangeIds: ['ex-1', 'ex-2'] })).not.toBe(id);
    expect(findingId({ ...parts, window: { ...window, end: '2024-05-01T12:00:04.501Z' } })).not.toBe(id);
    expect(findingId({ ...parts, window: { ...window, start: '2024-05-01T12:00:00.124Z' } })).not.toBe(id);
  });

  it('keeps the parts apart whatever characters the ids hold', () => {
    expect(findingId({ ...parts, exchangeIds: ['a,b'] })).not.toBe(findingId({ ...parts, exchangeIds: ['a', 'b'] }));
    expect(findingId({ ...parts, ruleId: 'r', exchangeIds: ['x'] })).not.toBe(findingId({ ...parts, ruleId: 'r","x', exchangeIds: [] }));
  });
});
