import { createHash } from 'node:crypto';
import { clip, escapeHtml } from './htmlText';
import { ReportAggregator } from './reportAggregator';
import { reportLimitsSchema } from './reportLimits';
import { renderReport } from './renderReport';
import { incidentId, testFinding, testSession } from './testRecords';

const limits = reportLimitsSchema.parse({});
const at = (s: number): string => new Date(Date.parse('2024-05-01T12:00:00Z') + s * 1000).toISOString();

/** Strings an attacker controls in traffic, each of which would run or break out if not escaped. */
const PAYLOADS = [
  '<script>console.error("xss-script")</script>',
  '<img src=x onerror=console.error("xss-img")>',
  '"><svg onload=console.error("xss-attr")>',
  "'><iframe src=javascript:alert(1)>",
  '</title></style></textarea><script>alert(2)</script>',
  '<![CDATA[</text><script>alert(3)</script>]]>',
];

const RENDERED_ELEMENTS = new Set(
  ('html head meta link title style body header h1 h2 h3 p nav ul ol li a main section footer dl dt dd div figure figcaption ' +
    'svg desc line text rect details summary table thead tbody tr th td article code pre time strong span').split(' '),
);
const RENDERED_ATTRIBUTES = new Set(
  ('lang charset http-equiv content name rel href class id aria-labelledby aria-label aria-hidden role viewbox width height data-chart ' +
    'x y x1 x2 y1 y2 text-anchor fill scope datetime').split(' '),
);

function hostileReport(): string {
  const a = new ReportAggregator(limits);
  PAYLOADS.forEach((p, i) => {
    a.addFinding(
      testFinding({
        at: at(i),
        severity: 4,
        actor: `cookie:${p}`,
        user: p,
        endpoint: `/api/${p}`,
        message: `Payload ${p} seen.`,
        excerpts: [`GET /search?q=${p}`],
        observed: p,
        exchangeIds: [p],
        incident: { id: incidentId(i + 1), risk: 90, findings: 1 },
      }),
    );
    a.addFinding(testFinding({ at: at(i), message: p, endpoint: p }));
  });
  a.addSession(testSession({ actor: `cookie:${PAYLOADS[0]}`, start: at(0), end: at(9), requests: 3, ips: [PAYLOADS[1]!], countries: [PAYLOADS[2]!] }));
  return renderReport(a.finish({ source: `/tmp/${PAYLOADS[3]}` }));
}

describe('escapeHtml', () => {
  it('escapes the five markup characters and replaces control characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml('a\u0000b\u001bc\td\ne')).toBe('a\ufffdb\ufffdc\td\ne');
  });

  it('clips long text saying how much was cut', () => {
    expect(clip('abcdef', 4)).toBe('abcd… (2 more characters)');
    expect(clip('abc', 4)).toBe('abc');
  });
});

describe('renderReport', () => {
  const html = hostileReport();

  it('holds no markup from the findings: only the renderer\'s own elements and attributes', () => {
    // Escaped text holds no '<', so every tag in the page is one the renderer wrote.
    const tags = [...html.matchAll(/<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)];
    const names = new Set(tags.map((t) => t[2]!.toLowerCase()));
    const attributes = new Set(tags.flatMap((t) => [...t[3]!.replace(/"[^"]*"|'[^']*'/g, '""').matchAll(/\s([\w:-]+)=/g)].map((a) => a[1]!.toLowerCase())));
    expect(names.has('script')).toBe(false);
    expect([...names].filter((n) => !RENDERED_ELEMENTS.has(n))).toEqual([]);
    expect([...attributes].filter((a) => !RENDERED_ATTRIBUTES.has(a))).toEqual([]);
    // And every '<' starts one of those tags: nothing slipped through half-escaped.
    expect(html.split('<').length - 1).toBe(tags.length + 1 /* <!DOCTYPE html> */);
  });

  it('shows every payload as text, escaped in the same way everywhere', () => {
    for (const p of PAYLOADS) expect(html).toContain(escapeHtml(p));
    // In the message, the tooltip of a bar, the actor label and the evidence.
    expect(html.split(escapeHtml(PAYLOADS[1]!)).length - 1).toBeGreaterThanOrEqual(5);
  });

  it('forbids every load by its Content-Security-Policy and allows exactly its own stylesheet', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#39;/g, "'");
    expect(csp).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-inline|https?:/);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)];
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256').update(styles[0]![1]!).digest('base64');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    // The meta comes before anything it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
    expect(html).not.toMatch(/\sstyle="/);
  });

  it('references nothing outside the page', () => {
    const urls = [...html.matchAll(/\s(?:src|href|xlink:href|action)="([^"]*)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u).toMatch(/^(#|data:)/);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('draws every chart with a title, a description and a table', () => {
    for (const id of ['chart-time', 'chart-severity', 'chart-category', 'chart-owasp', 'chart-actors', 'chart-endpoints']) {
      expect(html).toContain(`data-chart="${id}"`);
      expect(html).toContain(`<title id="${id}-title">`);
      expect(html).toContain(`<desc id="${id}-desc">`);
      expect(html).toMatch(new RegExp(`<figure id="${id}">[\\s\\S]*?<table>[\\s\\S]*?</figure>`));
    }
    expect(html.match(/<rect class="bar"/g)!.length).toBeGreaterThan(10);
  });

  it('has an evidence section per incident and one for the findings outside incidents', () => {
    expect(html.match(/<article class="incident"/g)).toHaveLength(PAYLOADS.length);
    for (let i = 1; i <= PAYLOADS.length; i++) expect(html).toContain(`id="incident-${incidentId(i)}"`);
    expect(html).toContain('<section id="other-findings"');
    expect(html.match(/<li class="finding /g)).toHaveLength(2 * PAYLOADS.length);
  });

  it('says so when there is nothing to show instead of drawing empty charts', () => {
    const empty = renderReport(new ReportAggregator(limits).finish({ source: 'store' }));
    expect(empty).toContain('The store holds no findings in this view.');
    expect(empty).not.toContain('<rect class="bar"');
    expect(empty).toContain('No incidents');
  });

  it('stays small for a big store: evidence is bounded, not the findings', () => {
    const a = new ReportAggregator(limits);
    const long = ['x'.repeat(2000), 'y'.repeat(2000), 'z'.repeat(2000), 'w'.repeat(2000)];
    for (let i = 0; i < 12_000; i++) {
      a.addFinding(
        testFinding({
          at: at(i),
          actor: `ip:10.1.${(i >> 8) & 255}.${i & 255}`,
          endpoint: `/api/v1/items/${i % 500}`,
          excerpts: long,
          incident: { id: incidentId(i % 3000), risk: i % 100, findings: Math.floor(i / 3000) + 1 },
        }),
      );
    }
    const page = renderReport(a.finish({ source: 'store' }));
    expect(page.match(/<li class="finding /g)!.length).toBeLessThanOrEqual(limits.incidents * limits.findingsPerIncident);
    expect(page.match(/<rect class="bar"/g)!.length).toBeLessThanOrEqual(4 * limits.timeBuckets + 4 + 40 + 11 + 2 * limits.topRows);
    expect(Buffer.byteLength(page)).toBeLessThan(1_500_000);
  });
});
