import { Counters } from '@sidetap/core';
import type { Event } from '@sidetap/core';
import { detectAll } from '../../testEngine';
import { event } from '../../testEvents';
import { extractRequestParts } from '../../threats/requestParts';
import type { ThreatEngine } from '../../threats/threatEngines';
import { RequestThreats, requestThreatsConfigSchema } from './requestThreats';

let seq = 0;
function request(build: (e: Event) => void, endpoint = '/api/v1/search', method = 'GET'): Event {
  const e = event({ id: `e${++seq}`, at: 1_700_000_000_000 + seq, method, path: endpoint, endpoint });
  build(e);
  return e;
}

const json = (body: unknown) => (e: Event) => {
  e.http.request.mime_type = 'application/json';
  e.http.request.body.content = JSON.stringify(body);
  e.http.request.body.bytes = e.http.request.body.content.length;
};

function detector(config: object = {}, engines?: readonly ThreatEngine[]) {
  const counters = new Counters();
  return { d: new RequestThreats(requestThreatsConfigSchema.parse(config), counters, engines), counters };
}

const NO_ENV = undefined as never;

describe('request_threats', () => {
  it('finds SQL injection in a JSON leaf and names its JSONPath, with the OWASP and MITRE fields', async () => {
    const { d } = detector();
    const [f, ...rest] = await d.observe(request(json({ items: [{ name: "x' UNION SELECT password FROM users--" }] }), '/api/v1/orders', 'POST'), 0, NO_ENV);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      detector: 'request_threats',
      rule: { id: 'sqli.union', category: 'sqli' },
      owasp: 'API8:2023',
      techniques: ['T1190'],
      endpoint: '/api/v1/orders',
      location: { part: 'json', name: '$.items[0].name' },
      observed: "json $.items[0].name: ' UNION SELECT password FROM users--",
    });
    expect(f!.message).toContain('SQL injection in json $.items[0].name of POST /api/v1/orders');
    expect(f!.severity).toBeGreaterThanOrEqual(3);
  });

  it('finds cross-site scripting in a header value', async () => {
    const { d } = detector();
    const [f] = await d.observe(request((e) => (e.http.request.headers = { referer: 'https://x.example/"><svg/onload=alert(1)>' })), 0, NO_ENV);
    expect(f).toMatchObject({ rule: { category: 'xss' }, location: { part: 'header', name: 'referer' } });
    expect(f!.observed).toMatch(/^header referer: .*onload/);
  });

  it('reads a double-encoded payload and scores the extra layer as evasion', async () => {
    const { d } = detector();
    const plain = d.inspect(request((e) => (e.url.query = 'q=%27%20OR%201%3D1--')));
    const double = d.inspect(request((e) => (e.url.query = 'q=%2527%2520OR%25201%253D1--')));
    expect(double.matches).toHaveLength(1);
    expect(double.total).toBe(plain.total + 1);
    const [f] = await d.observe(request((e) => (e.url.query = 'q=%2527%2520OR%25201%253D1--')), 0, NO_ENV);
    expect(f).toMatchObject({ rule: { id: 'sqli.boolean' }, location: { part: 'query', name: 'q' }, observed: "query q: ' OR 1=1--" });
    expect(f!.message).toContain('decoded 1 extra layer');
  });

  it('stays quiet on benign look-alikes', async () => {
    const { d } = detector();
    const benign: Event[] = [
      request((e) => (e.url.query = "q=O%27Brien&sort=-created_at&filter=status%3Dopen")),
      request((e) => (e.url.query = 'q=Tom+%26+Jerry&page=2&per_page=50')),
      request((e) => (e.url.query = 'q=select+a+plan+or+upgrade&lang=en-US')),
      request((e) => (e.url.query = 'redirect=https%3A%2F%2Fshop.example%2Fcart%3Fitem%3D1&email=bob%40example.com')),
      request(json({ title: 'I <3 this: 5 > 3 and 2 < 4', note: "Don't drop the table, it's oak", tags: ['a&b', 'c/d'], price: 12.5, ok: true, at: '2023-11-14T22:13:20Z' }), '/api/v1/reviews', 'POST'),
      request(json({ query: 'updated_at >= 2023-01-01', comment: 'Use `npm run build` (see docs)', html: 'Bold text with **markdown**' }), '/api/v1/notes', 'POST'),
      request((e) => {
        e.http.request.headers = {
          'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36',
          accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
          'accept-language': 'en-US,en;q=0.9,fr;q=0.8',
          referer: 'https://shop.example/search?q=red+shoes&page=2',
          'x-forwarded-for': '203.0.113.9, 10.0.0.1',
          'content-type': 'application/json; charset=utf-8',
          'if-none-match': 'W/"5e-1b2c3d"',
          cookie: 'theme=dark; lang=en; cart=%7B%22n%22%3A2%7D',
        };
      }),
    ];
    for (const e of benign) expect(await d.observe(e, 0, NO_ENV)).toEqual([]);
  });

  describe('scoring and paranoia', () => {
    // A stand-in engine whose confidence the value names: "weak" 0.4, "firm" 0.9.
    const fake: ThreatEngine = {
      category: 'command_injection',
      title: 'Command injection',
      owasp: 'API8:2023',
      techniques: ['T1190'],
      engine: (v) => (v.startsWith('weak ') ? { fingerprint: 'probe', fragment: v, confidence: 0.4, reason: 'a weak tell' } : v.startsWith('firm ') ? { fingerprint: 'probe', fragment: v, confidence: 0.9, reason: 'a firm tell' } : undefined),
    };

    it('keeps one weak match silent at paranoia 1, reports several weak matches together', async () => {
      const { d } = detector({}, [fake]);
      expect(await d.observe(request((e) => (e.url.query = 'a=weak+1')), 0, NO_ENV)).toEqual([]);
      const [f] = await d.observe(request((e) => (e.url.query = 'a=weak+1&b=weak+2')), 0, NO_ENV);
      expect(f).toMatchObject({ rule: { id: 'command_injection.probe' }, severity: 2 });
      expect(f!.confidence).toBeCloseTo(0.64, 2);
      expect(f!.message).toContain('2 parts matched');
      expect((await d.observe(request((e) => (e.url.query = 'a=firm+1')), 0, NO_ENV))[0]).toMatchObject({ severity: 3 });
    });

    it('raises paranoia for one endpoint (and method) from config', async () => {
      const { d } = detector({ endpoints: [{ endpoint: '/api/v1/admin', paranoia: 2 }, { endpoint: '/api/v1/search', method: 'POST', paranoia: 3 }] }, [fake]);
      expect(await d.observe(request((e) => (e.url.query = 'a=weak+1'), '/api/v1/admin'), 0, NO_ENV)).toHaveLength(1);
      expect(await d.observe(request((e) => (e.url.query = 'a=weak+1'), '/api/v1/search', 'POST'), 0, NO_ENV)).toHaveLength(1);
      expect(await d.observe(request((e) => (e.url.query = 'a=weak+1'), '/api/v1/search', 'GET'), 0, NO_ENV)).toEqual([]);
      expect(await d.observe(request((e) => (e.url.query = 'a=weak+1'), '/api/v1/other'), 0, NO_ENV)).toEqual([]);
    });

    it('counts a part once per category, and gives one finding per category', async () => {
      const { d } = detector();
      const e = request((x) => (x.url.query = "q=%27%20OR%201%3D1--&r=%3Cscript%3Ealert(1)%3C%2Fscript%3E&s=%27+UNION+SELECT+1--"));
      const drafts = await d.observe(e, 0, NO_ENV);
      expect(drafts.map((f) => f.rule.category).sort()).toEqual(['sqli', 'xss']);
      const sqli = drafts.find((f) => f.rule.category === 'sqli')!;
      expect(sqli.severity).toBe(4);
      expect(sqli.excerpts.filter((x) => x.startsWith('query '))).toHaveLength(2);
    });
  });

  it('masks the fragment of a secret part', async () => {
    const { d } = detector();
    const [f] = await d.observe(request(json({ user: 'bob', password: "' OR '1'='1" }), '/login', 'POST'), 0, NO_ENV);
    expect(f).toMatchObject({ location: { part: 'json', name: '$.password' } });
    expect(f!.observed).toBe('json $.password: [masked: 11 characters]');
    expect(f!.excerpts.join('\n')).not.toContain("'1'='1");
  });

  it('flags and counts a request it could not inspect whole', async () => {
    const { d, counters } = detector({ parts: { maxParts: 4 } });
    // The path (whole, and its one segment) and q fill three of the four parts.
    const [f] = await d.observe(request((e) => (e.url.query = 'q=%27+OR+%271%27%3D%271&a=x%20y&b=2&c=3'), '/s'), 0, NO_ENV);
    expect(f!.message).toContain('inspection capped');
    expect(counters.get('anomaly_threat_requests_capped_total')).toBe(1);
    expect(counters.get('anomaly_threat_parts_inspected_total')).toBe(4);
  });

  it('fires during the learning period and is suppressed by endpoint and parameter only', async () => {
    const attack = (endpoint: string, param: string) => request((e) => (e.url.query = `${param}=%27%20OR%201%3D1--`), endpoint);
    const events = [attack('/api/v1/search', 'q'), attack('/api/v1/search', 'r'), attack('/api/v1/items', 'q')];
    const all = await detectAll(events);
    expect(all.filter((f) => f.sidetap.detector === 'request_threats')).toHaveLength(3);
    expect(all[0]!.sidetap.location).toEqual({ part: 'query', name: 'q' });
    const counters = new Counters();
    const kept = await detectAll(events, { suppressions: [{ rule: 'sqli.boolean', endpoint: '/api/v1/search', parameter: 'query:q' }] }, counters);
    expect(kept.filter((f) => f.sidetap.detector === 'request_threats').map((f) => `${f.sidetap.endpoint} ${f.sidetap.location?.name}`)).toEqual([
      '/api/v1/search r',
      '/api/v1/items q',
    ]);
    expect(counters.get('anomaly_findings_suppressed_total{detector="request_threats"}')).toBe(1);
  });
});

describe('request_threats memo', () => {
  // An engine that flags values holding "evil", counting what it is asked.
  const seen: string[] = [];
  const counting: ThreatEngine = {
    category: 'sqli',
    title: 'Test',
    owasp: 'API8:2023',
    techniques: [],
    engine: (value) => {
      seen.push(value);
      return value.includes('evil') ? { fingerprint: 'evil', fragment: value, confidence: 1, reason: 'evil' } : undefined;
    },
  };
  const withHeaders = (headers: Record<string, string>) => request((e) => (e.http.request.headers = headers));
  const verdicts = (d: RequestThreats, headers: Array<Record<string, string>>) =>
    headers.map((h) => d.inspect(withHeaders(h)).matches.map((m) => `${m.part.name}=${m.part.value}`).join(','));

  it('judges a repeated header value once, and each header by its own current value', () => {
    seen.length = 0;
    const { d } = detector({}, [counting]);
    const got = verdicts(d, [
      { accept: 'text/html', 'user-agent': 'evil/1.0' },
      { accept: 'text/html', 'user-agent': 'evil/1.0' },
      { accept: 'evil/html', 'user-agent': 'curl/8.0' },
      { accept: 'text/html', 'user-agent': 'evil/1.0' },
      // The same value under another name is the same judgement.
      { referer: 'evil/1.0' },
    ]);
    expect(got).toEqual(['user-agent=evil/1.0', 'user-agent=evil/1.0', 'accept=evil/html', 'user-agent=evil/1.0', 'referer=evil/1.0']);
    expect(seen.filter((v) => v.includes('/'))).toEqual(['text/html', 'evil/1.0', 'evil/html', 'curl/8.0']);
  });

  it('judges alike however small the memo, and starts it over exactly when a plain memo of values would', () => {
    // Values repeat from one request to the next, and come back after others.
    const headers = Array.from({ length: 60 }, (_, i) => ({ accept: `text/v${Math.floor(i / 4) % 5}`, 'user-agent': i % 7 < 3 ? 'evil/1.0' : `ok/${Math.floor(i / 5) % 3}` }));
    const { d: plain } = detector({ memoEntries: 0 }, [counting]);
    const expected = verdicts(plain, headers);
    const config = requestThreatsConfigSchema.parse({});
    for (const memoEntries of [1, 2, 3, 8]) {
      const { d, counters } = detector({ memoEntries }, [counting]);
      expect(verdicts(d, headers)).toEqual(expected);
      // The reference: one map of every judged value, cleared when full.
      const memo = new Set<string>();
      let resets = 0;
      for (const h of headers) {
        for (const part of extractRequestParts(withHeaders(h), config.parts).parts) {
          if (!part.document && /^[\w-]*\.?[\w-]*$/.test(part.value)) continue;
          const key = `${part.location} ${part.document === true} ${part.value}`;
          if (memo.has(key)) continue;
          if (memo.size >= memoEntries) {
            memo.clear();
            resets++;
          }
          memo.add(key);
        }
      }
      expect(resets).toBeGreaterThan(0);
      expect(counters.get('anomaly_threat_memo_resets_total') ?? 0).toBe(resets);
    }
  });
});
