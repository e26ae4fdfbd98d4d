// Test traffic for the behaviour forest (kept out of the build by its name): seeded shopping
// sessions like the learned ones, and a hostile one.
import type { Event } from '@sidetap/core';
import { SeededRandom } from '../../isolationForest';
import { event } from '../../testEvents';

export const T0 = Date.UTC(2024, 4, 1, 0, 0, 0);
export const HOUR = 3_600_000;

interface Request {
  method?: string;
  path: string;
  endpoint: string;
  query?: string;
  body?: string;
  status?: number;
  responseBytes?: number;
}

/** One session's requests as events, `gapMs` apart, starting at `at`. */
export function session(name: string, at: number, requests: readonly Request[], gapMs = 20_000): Event[] {
  return requests.map((r, k) => {
    const e = event({ id: `${name}-${k}`, at: at + k * gapMs, actor: `jwt:${name}`, user: name, method: r.method ?? 'GET', path: r.path, endpoint: r.endpoint, status: r.status ?? 200 });
    e.sidetap.session = { id: `${name}@${at}`, seq: k + 1, timeline: `user:${name}` };
    if (r.query !== undefined) {
      e.url.query = r.query;
      e.url.original = `${r.path}?${r.query}`;
    }
    if (r.body !== undefined) e.http.request.body = { bytes: Buffer.byteLength(r.body), content: r.body };
    e.http.response!.body = { bytes: r.responseBytes ?? 800 };
    return e;
  });
}

const CATEGORIES = ['books', 'garden', 'kitchen', 'toys', 'music'];

/** An ordinary shopping visit: lists, product pages, now and then a cart add or a missing product. */
export function shoppingSession(name: string, at: number, random: SeededRandom): Event[] {
  const length = 9 + random.nextInt(8);
  const requests: Request[] = [];
  for (let k = 0; k < length; k++) {
    const roll = random.nextFloat();
    if (roll < 0.4) {
      requests.push({ path: '/api/v1/products', endpoint: '/api/v1/products', query: `category=${CATEGORIES[random.nextInt(CATEGORIES.length)]!}&page=${1 + random.nextInt(4)}`, responseBytes: 1500 + random.nextInt(800) });
    } else if (roll < 0.8) {
      const id = 1 + random.nextInt(500);
      requests.push({ path: `/api/v1/products/${id}`, endpoint: '/api/v1/products/{id}', responseBytes: 600 + random.nextInt(400), status: random.nextFloat() < 0.03 ? 404 : 200 });
    } else if (roll < 0.92) {
      requests.push({ method: 'POST', path: '/api/v1/cart/items', endpoint: '/api/v1/cart/items', body: `{"productId":${1 + random.nextInt(500)},"quantity":${1 + random.nextInt(3)}}`, responseBytes: 200 });
    } else {
      requests.push({ path: '/api/v1/search', endpoint: '/api/v1/search', query: `q=${['lamp', 'blue+chair', 'kettle', 'desk'][random.nextInt(4)]!}&page=1`, responseBytes: 1200 + random.nextInt(500) });
    }
  }
  return session(name, at, requests, 15_000 + random.nextInt(30_000));
}

/** `count` shopping sessions of different users, one every `everyMs` from `from`. */
export function shoppingDay(seed: number, from: number, count: number, everyMs: number, prefix: string): Event[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, (_, i) => shoppingSession(`${prefix}${i}`, from + i * everyMs, random)).flat();
}

/** Browsing mixed with injection payloads rejected with 400, like a scanner driven by hand. */
export function hostileSession(name: string, at: number): Event[] {
  const payloads = ["' OR '1'='1' --", '<script>alert(1)</script>', '../../../../etc/passwd', '${jndi:ldap://x/a}', '{{7*7}}'];
  const requests: Request[] = [];
  for (let k = 0; k < 30; k++) {
    if (k % 3 === 0) requests.push({ path: '/api/v1/products', endpoint: '/api/v1/products', query: 'category=books&page=1', responseBytes: 1700 });
    else {
      const p = encodeURIComponent(payloads[k % payloads.length]!);
      requests.push({ path: '/api/v1/search', endpoint: '/api/v1/search', query: `q=${p}&page=1&sort=${p}&debug=1&x${k}=1`, status: 400, responseBytes: 60 });
    }
  }
  return session(name, at, requests, 10_000);
}
