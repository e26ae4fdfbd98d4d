// Demo traffic through the gateway: a few users going about their day, and now and then an attacker
// stuffing credentials, probing the search for SQL injection and walking other people's accounts.
// Clients claim public addresses in X-Forwarded-For (the demo gateway trusts it), so the geo map
// has somewhere to put them.
const target = process.env.TARGET ?? 'http://gateway:8080';
const pauseMs = Number(process.env.PAUSE_MS ?? 500);

const USERS = [
  { username: 'alice', password: 'correct-horse', ip: '81.2.69.160', account: 1001 },
  { username: 'bob', password: 'battery-staple', ip: '216.160.83.56', account: 1002 },
  { username: 'carol', password: 'tr0ub4dor', ip: '89.160.20.112', account: 1003 },
];
const ATTACKER_IP = '175.16.199.10';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(path, { ip, token, method = 'GET', body, agent = BROWSER } = {}) {
  const headers = { 'user-agent': agent, 'x-forwarded-for': ip, 'accept-language': 'en-GB' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(`${target}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text.startsWith('{') ? JSON.parse(text) : undefined };
  } catch (err) {
    process.stderr.write(`traffic: ${path}: ${err.message}\n`);
    return { status: 0 };
  }
}

async function login(user, ip = user.ip, password = user.password, agent) {
  const r = await call('/api/v1/login', { ip, method: 'POST', body: { username: user.username, password }, agent });
  return r.json?.token;
}

async function normalVisit(user) {
  const token = await login(user);
  await call('/api/v1/profile', { ip: user.ip, token });
  await call(`/api/v1/accounts/${user.account}`, { ip: user.ip, token });
  await call(`/api/v1/search?q=${encodeURIComponent(['invoices', 'march', 'transfer'][Math.floor(Math.random() * 3)])}`, { ip: user.ip, token });
}

async function attack() {
  const agent = 'python-requests/2.31';
  for (const password of ['123456', 'password', 'qwerty', 'letmein', 'admin', 'welcome1', 'iloveyou', 'monkey']) {
    await login(USERS[0], ATTACKER_IP, password, agent);
  }
  const token = await login(USERS[2], ATTACKER_IP, USERS[2].password, agent);
  await call(`/api/v1/search?q=${encodeURIComponent("' OR 1=1 -- ")}`, { ip: ATTACKER_IP, token, agent });
  await call(`/api/v1/search?q=${encodeURIComponent('1 UNION SELECT username, password FROM users')}`, { ip: ATTACKER_IP, token, agent });
  for (let id = 1000; id < 1040; id++) await call(`/api/v1/accounts/${id}`, { ip: ATTACKER_IP, token, agent });
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => (stopping = true));
process.stdout.write(`traffic to ${target}\n`);
for (let round = 1; !stopping; round++) {
  for (const user of USERS) await normalVisit(user);
  if (round % 20 === 0) await attack();
  await sleep(pauseMs);
}
