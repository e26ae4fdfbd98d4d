#!/usr/bin/env node
// `npm run bench` (mirror part): the gateway mirror listener under a bounded loopback load of
// native NDJSON batches. Requests/s and exchanges/s accepted are printed against the floor of a
// bare node:http server that only reads each body and answers 204, measured in the same run with
// the same client. Then a deliberately slow pipeline shows what happens past saturation: 429s
// with Retry-After instead of growing memory, and every record a 200 counted was delivered.
// Each server runs in a worker thread so the load generator does not share its event loop.
// Runs on the built packages: `npx turbo run build` first.
//   BENCH_MIRROR_REQUESTS     requests per measured run (default 3000; a run also stops at 10 s)
//   BENCH_MIRROR_BATCH        records per request (default 50)
//   BENCH_MIRROR_CLIENTS      concurrent keep-alive connections (default 8)
//   BENCH_MIRROR_SLOW_RATE    records/s the slow pipeline takes (default 5000)
import { existsSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const REQUESTS = Number(process.env.BENCH_MIRROR_REQUESTS ?? 3000);
const BATCH = Number(process.env.BENCH_MIRROR_BATCH ?? 50);
const CLIENTS = Number(process.env.BENCH_MIRROR_CLIENTS ?? 8);
const SLOW_RATE = Number(process.env.BENCH_MIRROR_SLOW_RATE ?? 5000);
const MAX_MS = 10_000;
const SLOW_MS = 3000;
const PENDING = BATCH * 2;
const TOKEN = 'bench-mirror-token';

if (isMainThread) await main();
else await serve(workerData);

async function main() {
  for (const pkg of ['core', 'capture']) {
    const file = join(root, 'packages', pkg, 'dist/index.js');
    if (!existsSync(file)) {
      console.error(`mirrorBench: ${file} is missing; run npx turbo run build first.`);
      process.exit(2);
    }
  }
  const body = Buffer.from(batchOf(BATCH));
  const floor = await measure({ kind: 'floor' }, body, REQUESTS, MAX_MS);
  const mirror = await measure({ kind: 'mirror' }, body, REQUESTS, MAX_MS);
  // Past saturation: the pipeline takes SLOW_RATE records/s and lets PENDING records wait, fewer
  // than the clients send at once; the clients retry at once on 429 (the worst case).
  const slow = await measure({ kind: 'mirror', slowRate: SLOW_RATE, maxPendingRecords: PENDING }, body, Infinity, SLOW_MS);

  const rate = (n, ms) => Math.round((n * 1000) / ms).toLocaleString('en-US');
  console.log(`gateway mirror listener, native NDJSON batches of ${BATCH} records (${body.length} bytes), ${CLIENTS} keep-alive clients on loopback:`);
  console.log(`  floor (node:http, read body, 204)   ${rate(floor.ok, floor.ms)} requests/s`);
  console.log(
    `  mirror listener (parse, build)      ${rate(mirror.ok, mirror.ms)} requests/s  ${rate(mirror.accepted, mirror.ms)} exchanges/s accepted  ${(mirror.ok / mirror.ms / (floor.ok / floor.ms)).toFixed(2)}x the floor's rate`,
  );
  console.log(`  statuses: ${fmtStatuses(mirror.statuses)}; delivered ${mirror.delivered} of ${mirror.accepted} accepted`);
  console.log(`past saturation (pipeline takes ${SLOW_RATE.toLocaleString('en-US')} records/s, ${PENDING} may wait, ${SLOW_MS / 1000} s of clients retrying at once):`);
  console.log(`  offered ${rate(slow.sent, slow.ms)} requests/s; accepted ${rate(slow.accepted, slow.ms)} records/s; statuses: ${fmtStatuses(slow.statuses)}`);
  console.log(`  429s carried Retry-After: ${slow.retryAfterMissing === 0 ? 'all' : `${slow.retryAfterMissing} did not`}; pending peak ${slow.pendingPeak} records (bound: ${PENDING} plus the batches of requests admitted before it was reached)`);
  const lost = slow.accepted - slow.delivered + (mirror.accepted - mirror.delivered);
  console.log(`  accepted == delivered: ${lost === 0 ? 'yes' : `NO, ${lost} accepted records were not delivered`} (${slow.delivered} of ${slow.accepted})`);
  if (lost !== 0 || slow.statuses[429] === undefined) process.exitCode = 1;
}

/** Runs `requests` POSTs of `body` against a server started in a worker by `spec`, CLIENTS at a time, for at most `maxMs`. */
async function measure(spec, body, requests, maxMs) {
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { ...spec, root } });
  const port = await new Promise((resolveP, reject) => {
    worker.once('message', (m) => resolveP(m.port));
    worker.once('error', reject);
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const statuses = {};
  let sent = 0;
  let ok = 0;
  let accepted = 0;
  let retryAfterMissing = 0;
  const started = performance.now();
  const client = async () => {
    while (sent < requests && performance.now() - started < maxMs) {
      sent++;
      const reply = await post(agent, port, body);
      statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
      if (reply.status === 200 || reply.status === 204) {
        ok++;
        accepted += reply.accepted;
      } else if (reply.status === 429 && reply.retryAfter === undefined) retryAfterMissing++;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const ms = performance.now() - started;
  agent.destroy();
  worker.postMessage('stop');
  const stats = await new Promise((resolveP) => worker.once('message', resolveP));
  await worker.terminate();
  return { sent, ok, accepted: spec.kind === 'floor' ? ok * BATCH : accepted, ms, statuses, retryAfterMissing, ...stats };
}

function post(agent, port, body) {
  return new Promise((resolveP, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/v1/exchanges', agent, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson', 'content-length': body.length } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const accepted = res.statusCode === 200 && text !== '' ? JSON.parse(text).accepted : 0;
          resolveP({ status: res.statusCode, accepted, retryAfter: res.headers['retry-after'] });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The server side, in a worker: the floor or the mirror listener, optionally with a slow pipeline. */
async function serve(spec) {
  let delivered = 0;
  let pendingPeak = 0;
  let stop;
  if (spec.kind === 'floor') {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    stop = () => new Promise((r) => server.close(r));
    parentPort.postMessage({ port: server.address().port });
  } else {
    const { createRequire } = await import('node:module');
    const require = createRequire(join(spec.root, 'packages/capture/package.json'));
    const { createRedactor } = require(join(spec.root, 'packages/core/dist/index.js'));
    const { captureConfigSchema, startMirrorServer } = require(join(spec.root, 'packages/capture/dist/index.js'));
    // The slow pipeline: a token bucket refilled every 10 ms at slowRate records/s.
    const waiting = [];
    let tokens = 0;
    const tick = spec.slowRate === undefined ? undefined : setInterval(() => {
      tokens = Math.min(tokens + spec.slowRate / 100, spec.slowRate);
      while (tokens >= 1 && waiting.length > 0) {
        tokens--;
        waiting.shift()();
      }
    }, 10);
    const server = await startMirrorServer({
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      config: captureConfigSchema.parse({}),
      redactor: createRedactor({ key: Buffer.alloc(32, 9) }),
      ...(spec.maxPendingRecords === undefined ? {} : { maxPendingRecords: spec.maxPendingRecords }),
      onExchange:
        tick === undefined
          ? () => {
              delivered++;
            }
          : () => {
              if (tokens >= 1 && waiting.length === 0) {
                tokens--;
                delivered++;
                return undefined;
              }
              return new Promise((r) =>
                waiting.push(() => {
                  delivered++;
                  r();
                }),
              );
            },
    });
    const watch = setInterval(() => (pendingPeak = Math.max(pendingPeak, server.pendingRecords)), 5);
    stop = async () => {
      // Records accepted but still queued in the slow pipeline are let through before counting.
      while (waiting.length > 0 || server.pendingRecords > 0) await new Promise((r) => setTimeout(r, 10));
      clearInterval(watch);
      if (tick !== undefined) clearInterval(tick);
      await server.close();
    };
    parentPort.postMessage({ port: server.address.port });
  }
  parentPort.once('message', async () => {
    await stop();
    parentPort.postMessage({ delivered, pendingPeak });
  });
}

/** NDJSON of `n` native records: API calls with bearer JWTs, cookies, JSON bodies and responses. */
function batchOf(n) {
  const lines = [];
  for (let k = 0; k < n; k++) {
    const user = `user-${k % 37}`;
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: user, exp: 1893456000 })).toString('base64url')}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`;
    const post = k % 4 === 0;
    const reqBody = post ? Buffer.from(JSON.stringify({ item: `sku-${k}`, qty: (k % 5) + 1, note: 'deliver to the back door' })).toString('base64') : undefined;
    const resBody = Buffer.from(JSON.stringify({ id: 10_000 + k, owner: user, items: [{ sku: `sku-${k}`, price: 12.5 }], status: 'ok' })).toString('base64');
    lines.push(
      JSON.stringify({
        started_at: 1715684400000 + k * 3,
        duration_ms: 4.2,
        client: { ip: `198.51.100.${k % 250}`, port: 40000 + k },
        server: { ip: '10.0.0.8', port: 443 },
        request: {
          method: post ? 'POST' : 'GET',
          target: post ? '/api/v1/orders' : `/api/v1/orders/${10_000 + k}?include=items`,
          headers: [
            ['Host', 'api.example.test'],
            ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36'],
            ['Accept', 'application/json'],
            ['Authorization', `Bearer ${jwt}`],
            ['Cookie', `sessionid=s${k % 37}; theme=dark`],
            ...(post ? [['Content-Type', 'application/json']] : []),
          ],
          ...(reqBody === undefined ? {} : { body: reqBody }),
        },
        response: { status: post ? 201 : 200, headers: [['Content-Type', 'application/json'], ['Cache-Control', 'no-store']], body: resBody },
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

function fmtStatuses(statuses) {
  return Object.entries(statuses)
    .map(([status, n]) => `${n} x ${status}`)
    .join(', ');
}
