import { parseKongPayload } from './kongLog';
import { exchangesOf, fixture, redacted } from './testMirror';

describe('Kong http-log payloads', () => {
  const batch = parseKongPayload(fixture('kong-http-log-batch.json'));
  const [get, login] = exchangesOf('kong', batch);

  it('reads a batched array, one exchange per log object', () => {
    expect(batch.faults).toEqual([]);
    expect(batch.parts).toHaveLength(2);
  });

  it('maps request, response, addresses and times field by field', () => {
    expect(get?.['@timestamp']).toBe('2024-05-14T09:21:07.308Z');
    expect(get?.event.duration).toBe(45_000_000);
    expect(get?.source).toEqual({ ip: '203.0.113.45', port: 0, bytes: 312 });
    expect(get?.destination).toEqual({ ip: '10.20.3.14', port: 8080, bytes: 1187 });
    expect(get?.http.request.method).toBe('GET');
    expect(get?.url).toEqual({ original: '/orders/v1/orders/1001?include=items', path: '/orders/v1/orders/1001', query: 'include=items', domain: 'api.shop.test' });
    expect(get?.http.request.headers['accept-encoding']).toBe('gzip, br');
    expect(get?.http.response?.status_code).toBe(200);
    expect(get?.http.response?.mime_type).toBe('application/json');
    expect(get?.user_agent?.original).toBe('okhttp/4.12.0');
    expect(get?.sidetap.capture).toEqual({ source: 'mirror:kong', flags: [] });
  });

  it('keeps a header named __proto__, as [__proto__], with its value', () => {
    const payload = Buffer.from(
      '{"started_at":1715678467308,"client_ip":"203.0.113.45","request":{"method":"GET","uri":"/a","headers":{"host":"api.shop.test","__proto__":"${jndi:ldap://x/a}"}},"response":{"status":200,"headers":{}}}',
    );
    const parsed = parseKongPayload(payload);
    expect(parsed.faults).toEqual([]);
    expect(exchangesOf('kong', parsed)[0]?.http.request.headers).toEqual({ host: 'api.shop.test', '[__proto__]': '${jndi:ldap://x/a}' });
  });

  it('keeps sizes without inventing bodies Kong did not log', () => {
    expect(get?.http.request.body).toEqual({ bytes: 0 });
    expect(get?.http.response?.body).toEqual({ bytes: 934 });
  });

  it('redacts secrets; with Authorization blanked by Kong and no configured API-key header, the actor is the client address', () => {
    expect(get?.http.request.headers['apikey']).toBe(redacted('apikey', 'k-live-5f2e9a'));
    expect(get?.http.request.headers['authorization']).toBe(redacted('authorization', 'REDACTED'));
    expect(get?.sidetap.actor_key).toBe('ip:203.0.113.45');
    expect(login?.http.request.headers['cookie']).not.toContain('7f3a9c2e1b');
  });

  it('samples a body added by custom_fields_by_lua, redacting its password', () => {
    expect(login?.http.request.body.bytes).toBe(43);
    expect(login?.http.request.body.content).toContain('"username":"carol"');
    expect(login?.http.request.body.content).not.toContain('p4ssw0rd!');
    expect(login?.source.ip).toBe('2001:db8:44::9');
    expect(login?.network.type).toBe('ipv6');
    // No upstream tried: Kong answered itself; the port is the one the client used.
    expect(login?.destination).toEqual({ ip: '0.0.0.0', port: 8443, bytes: 268 });
    expect(login?.source.bytes).toBe(401);
  });

  it('gives ids from Kong request ids, and from payload and place otherwise, the same on every read', () => {
    const again = exchangesOf('kong', parseKongPayload(fixture('kong-http-log-batch.json')));
    expect(again.map((x) => x.event.id)).toEqual([get?.event.id, login?.event.id]);
    expect(get?.event.id).not.toBe(login?.event.id);
  });

  it('takes a single object, and names each bad record while keeping the good ones', () => {
    const one = JSON.parse(fixture('kong-http-log-batch.json').toString())[0];
    expect(parseKongPayload(Buffer.from(JSON.stringify(one))).parts).toHaveLength(1);
    const bad = [one, { ...one, client_ip: 'not-an-ip' }, { ...one, request: { ...one.request, method: 7 } }, { ...one, started_at: 'yesterday' }];
    const batch = parseKongPayload(Buffer.from(JSON.stringify(bad)));
    expect(batch.parts).toHaveLength(1);
    expect(batch.faults).toEqual([
      { record: 1, message: 'record 1: client_ip is not an IP address.' },
      { record: 2, message: 'record 2: request.method expected string, received number.' },
      { record: 3, message: 'record 3: started_at expected number, received string.' },
    ]);
  });

  it('keeps the records before bytes that are not JSON and says where they start', () => {
    const one = JSON.stringify(JSON.parse(fixture('kong-http-log-batch.json').toString())[0]);
    // The first byte that cannot continue JSON is the "o" of "nope" ("n" could start null).
    const batch = parseKongPayload(Buffer.from(`${one}\n{"request": nope}\n`));
    expect(batch.parts).toHaveLength(1);
    expect(batch.faults).toHaveLength(1);
    expect(batch.faults[0]?.message).toBe(`record 1: not JSON at byte offset ${one.length + 14} (Unexpected token 'o'); the records before it were kept.`);
  });
});
