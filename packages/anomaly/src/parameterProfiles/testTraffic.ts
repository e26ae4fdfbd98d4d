// Events for the tests and the benchmark: a small shop API whose requests carry realistic values
// (from testValues.ts) in query strings, form bodies, JSON bodies and headers.
import type { Event } from '@sidetap/core';
import {
  city,
  comment,
  email,
  fileName,
  isoDate,
  isoTimestamp,
  numericId,
  page,
  personName,
  quantity,
  Rng,
  searchTerm,
  type Split,
  sku,
  tag,
  userAgent,
  uuid,
} from './testValues';

export interface RequestParts {
  method?: string;
  endpoint: string;
  path?: string;
  query?: string;
  body?: string;
  mimeType?: string;
  headers?: Record<string, string>;
  flags?: string[];
}

let sequence = 0;

/** A valid Event carrying only what the parameter profiles read, plus the required envelope. */
export function makeEvent(parts: RequestParts): Event {
  sequence++;
  const path = parts.path ?? parts.endpoint;
  const query = parts.query;
  return {
    '@timestamp': '2024-05-01T12:00:00.000Z',
    event: { id: `ex-${sequence}`, kind: 'event', category: ['network'], type: ['connection', 'protocol'], dataset: 'sidetap.event' },
    source: { ip: '10.0.0.5', port: 51514 },
    destination: { ip: '10.0.0.9', port: 443 },
    network: { transport: 'tcp', type: 'ipv4', protocol: 'http' },
    http: {
      version: '1.1',
      request: {
        method: parts.method ?? 'GET',
        headers: { host: 'shop.example.com', ...(parts.headers ?? {}) },
        body: parts.body === undefined ? { bytes: 0 } : { bytes: Buffer.byteLength(parts.body), content: parts.body },
        ...(parts.mimeType === undefined ? {} : { mime_type: parts.mimeType }),
      },
    },
    url: {
      original: query === undefined ? path : `${path}?${query}`,
      path,
      ...(query === undefined ? {} : { query }),
      domain: 'shop.example.com',
    },
    sidetap: {
      capture: { source: 'pcap', flags: (parts.flags ?? []) as Event['sidetap']['capture']['flags'] },
      actor_key: 'jwt:alice',
      actor: { kind: 'jwt', id: 'alice' },
      session: { id: 'sess-1', seq: sequence, timeline: 'jwt:alice' },
      endpoint: parts.endpoint,
    },
  };
}

/** `a=1&b=x+y` with values percent-encoded as browsers do (space as '+'). */
export function formEncode(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%20/g, '+')}`).join('&');
}

export function hashedSecret(r: Rng): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = 'h:';
  for (let i = 0; i < 22; i++) out += alphabet[r.int(0, 63)] ?? 'A';
  return out;
}

const ACCEPTS = ['application/json', 'application/json, text/plain, */*', '*/*'];

function browserHeaders(r: Rng): Record<string, string> {
  return { 'user-agent': userAgent(r), accept: r.pick(ACCEPTS) };
}

/** Browser-like headers of the product search, for hand-made requests. */
export function productBody(r: Rng): Record<string, string> {
  return browserHeaders(r);
}

/** A product search carrying exactly these query pairs, with ordinary headers. */
export function productSearchWith(r: Rng, pairs: ReadonlyArray<readonly [string, string]>): Event {
  return makeEvent({ endpoint: '/api/v1/products', query: formEncode(pairs), headers: browserHeaders(r) });
}

/** Product search: q, page, sort, limit — each optional, always in this order. */
export function productSearch(r: Rng): Event {
  const pairs: Array<[string, string]> = [];
  if (r.chance(0.85)) pairs.push(['q', searchTerm(r)]);
  if (r.chance(0.7)) pairs.push(['page', page(r)]);
  if (r.chance(0.6)) pairs.push(['sort', r.pick(['relevance', 'price_asc', 'price_desc', 'newest'])]);
  if (r.chance(0.4)) pairs.push(['limit', r.pick(['10', '20', '50'])]);
  const parts: RequestParts = { endpoint: '/api/v1/products', headers: browserHeaders(r) };
  if (pairs.length > 0) parts.query = formEncode(pairs);
  return makeEvent(parts);
}

export interface ProfileBody {
  accountId: string;
  externalId: string;
  birthdate: string;
  user: { name: string; email: string; address: { city: string } };
  comment?: string;
  tags?: string[];
  items: Array<{ sku: string; qty: number }>;
}

export function profileBody(r: Rng): ProfileBody {
  const body: ProfileBody = {
    accountId: numericId(r),
    externalId: uuid(r),
    birthdate: isoDate(r),
    user: { name: personName(r), email: email(r), address: { city: city(r) } },
    items: Array.from({ length: r.int(1, 3) }, () => ({ sku: sku(r), qty: Number(quantity(r)) })),
  };
  if (r.chance(0.5)) body.comment = comment(r);
  if (r.chance(0.7)) body.tags = Array.from({ length: r.int(1, 3) }, () => tag(r));
  return body;
}

/** Profile update with a JSON body. */
export function profileUpdate(r: Rng, body: ProfileBody = profileBody(r)): Event {
  const id = numericId(r);
  return makeEvent({
    method: 'POST',
    endpoint: '/api/v1/users/{id}/profile',
    path: `/api/v1/users/${id}/profile`,
    body: JSON.stringify(body),
    mimeType: 'application/json',
    headers: { ...browserHeaders(r), 'content-type': r.pick(['application/json', 'application/json; charset=utf-8']) },
  });
}

/** Login form: username, a hashed password, sometimes remember=on. */
export function login(r: Rng, pairs?: Array<[string, string]>): Event {
  const fields: Array<[string, string]> = pairs ?? [
    ['username', email(r)],
    ['password', hashedSecret(r)],
    ...(r.chance(0.3) ? [['remember', 'on'] as [string, string]] : []),
  ];
  return makeEvent({
    method: 'POST',
    endpoint: '/login',
    body: formEncode(fields),
    mimeType: 'application/x-www-form-urlencoded',
    headers: { ...browserHeaders(r), 'content-type': 'application/x-www-form-urlencoded' },
  });
}

export function download(r: Rng, file: string = fileName(r)): Event {
  return makeEvent({ endpoint: '/api/v1/files/download', query: formEncode([['file', file]]), headers: browserHeaders(r) });
}

export function accountEvents(r: Rng): Event {
  const id = numericId(r);
  return makeEvent({
    endpoint: '/api/v1/accounts/{id}/events',
    path: `/api/v1/accounts/${id}/events`,
    query: formEncode([
      ['since', isoTimestamp(r)],
      ['owner', personName(r)],
    ]),
    headers: browserHeaders(r),
  });
}

/** A mixed stream of the shop's benign traffic, drawing open vocabularies from `split`. */
export function benignTraffic(seed: number, count: number, split: Split = 'all'): Event[] {
  const r = new Rng(seed, split);
  const makers = [productSearch, profileUpdate, login, download, accountEvents] as const;
  const out: Event[] = [];
  for (let i = 0; i < count; i++) out.push((makers[i % makers.length] ?? productSearch)(r));
  return out;
}
