// A tiny demo API behind the demo gateway: log in, read accounts, search. Just enough surface for
// sidetap to learn endpoints and users and to see the attacks the traffic generator makes.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

const port = Number(process.env.PORT ?? 8080);
// 0.0.0.0 in its container, where the gateway reaches it over the Compose network.
const users = new Map([
  ['alice', { password: 'correct-horse', account: 1001 }],
  ['bob', { password: 'battery-staple', account: 1002 }],
  ['carol', { password: 'tr0ub4dor', account: 1003 }],
]);
// Bounded: the demo runs for days, and every login would otherwise add a token forever.
const tokens = new Map();
const MAX_TOKENS = 10_000;

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readJson(req) {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c) => {
      if (text.length < 65_536) text += c;
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(undefined);
      }
    });
  });
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://demo');
  if (url.pathname === '/health') return send(res, 200, { ok: true });
  if (url.pathname === '/api/v1/login' && req.method === 'POST') {
    const body = await readJson(req);
    const user = users.get(body?.username);
    if (user === undefined || user.password !== body?.password) return send(res, 401, { error: 'invalid credentials' });
    const token = randomBytes(24).toString('base64url');
    if (tokens.size >= MAX_TOKENS) tokens.delete(tokens.keys().next().value);
    tokens.set(token, body.username);
    return send(res, 200, { token });
  }
  const name = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
  if (name === undefined) return send(res, 401, { error: 'log in first' });
  const account = /^\/api\/v1\/accounts\/(\d+)$/.exec(url.pathname);
  if (account !== null) {
    // No ownership check: the broken object-level authorization (API1:2023) sidetap should report.
    const id = Number(account[1]);
    return send(res, 200, { id, owner: [...users].find(([, u]) => u.account === id)?.[0] ?? 'nobody', balance: (id * 37) % 1000 });
  }
  if (url.pathname === '/api/v1/search') return send(res, 200, { query: url.searchParams.get('q'), results: [] });
  if (url.pathname === '/api/v1/profile') return send(res, 200, { user: name });
  return send(res, 404, { error: 'not found' });
});

server.listen(port, process.env.HOST ?? '0.0.0.0', () => process.stdout.write(`demo api listening on ${port}\n`));
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.close(() => process.exit(0)));
