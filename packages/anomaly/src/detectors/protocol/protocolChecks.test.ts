import { AFTER, HOUR, T0, learned, protocolFindings, request } from './testRequests';

const ids = (fs: { rule: { id: string } }[]) => fs.map((f) => f.rule.id);

describe('protocol_checks: request_smuggling', () => {
  it('reports Content-Length with chunked on a request as high severity, API8 and T1190', async () => {
    const e = request({ id: 'x', at: T0, method: 'POST', headers: { 'content-length': '3', 'transfer-encoding': 'chunked' }, body: 'SMUGGLED', flags: ['http_content_length_and_chunked'] });
    const [f, ...rest] = await protocolFindings([e]);
    expect(rest).toEqual([]);
    expect(f!.rule.id).toBe('request_smuggling.content_length_and_chunked');
    expect(f!.event.severity).toBe(3);
    expect(f!.sidetap.owasp_api).toBe('API8:2023');
    expect(f!.threat?.technique.id).toEqual(['T1190']);
    expect(f!.sidetap.evidence.exchange_ids).toEqual(['x']);
    expect(f!.sidetap.actor_key).toBe('ip:203.0.113.9');
    expect(f!.sidetap.endpoint).toBe('/api/v1/items/1');
    expect(f!.message).toContain('http_content_length_and_chunked');
  });

  it('tells conflicting Content-Length values (high) from identical repeats (medium)', async () => {
    const conflicting = request({ id: 'a', at: T0, method: 'POST', headers: { 'content-length': '5, 17' }, flags: ['http_duplicate_content_length', 'http_invalid_content_length'] });
    const identical = request({ id: 'b', at: T0, ip: '192.0.2.1', method: 'POST', headers: { 'content-length': '17, 17' }, flags: ['http_duplicate_content_length'] });
    const f = await protocolFindings([conflicting, identical]);
    expect(f.map((x) => [x.rule.id, x.event.severity])).toEqual([
      ['request_smuggling.conflicting_content_length', 3],
      ['request_smuggling.duplicate_content_length', 2],
    ]);
  });

  it('reports a Content-Length that is not a number', async () => {
    const e = request({ id: 'i', at: T0, method: 'POST', headers: { 'content-length': '+5' }, flags: ['http_invalid_content_length'] });
    expect(ids(await protocolFindings([e]))).toEqual(['request_smuggling.invalid_content_length']);
  });

  it('reports obfuscated Transfer-Encoding and TE on HTTP/1.0', async () => {
    const f = await protocolFindings([
      request({ id: 'a', at: T0, method: 'POST', headers: { 'transfer-encoding': 'xchunked' }, flags: ['http_unsupported_transfer_encoding'] }),
      request({ id: 'b', at: T0 + 1, ip: '192.0.2.2', method: 'POST', version: '1.0', headers: { 'transfer-encoding': 'chunked' }, flags: ['http_te_in_http10'] }),
    ]);
    expect(ids(f)).toEqual(['request_smuggling.transfer_encoding_obfuscated', 'request_smuggling.transfer_encoding_in_http10']);
  });

  it('leaves framing flags the response carried to the server', async () => {
    // The request has no Transfer-Encoding: the chunked oddity was the response's.
    const e = request({ id: 'r', at: T0, flags: ['http_unsupported_transfer_encoding', 'http_chunk_extension', 'http_trailers'] });
    expect(await protocolFindings([e])).toEqual([]);
  });

  it('reports once per actor and rule within the cooldown', async () => {
    const burst = [0, 1, 2].map((k) => request({ id: `s${k}`, at: T0 + k * 1000, method: 'POST', headers: { 'content-length': '3', 'transfer-encoding': 'chunked' }, flags: ['http_content_length_and_chunked'] }));
    const later = request({ id: 's9', at: T0 + 2 * HOUR, method: 'POST', headers: { 'content-length': '3', 'transfer-encoding': 'chunked' }, flags: ['http_content_length_and_chunked'] });
    expect(ids(await protocolFindings([...burst, later]))).toEqual(['request_smuggling.content_length_and_chunked', 'request_smuggling.content_length_and_chunked']);
  });
});

describe('protocol_checks: malformed_request', () => {
  it('reports a malformed request once per actor, low, naming its flags', async () => {
    const f = await protocolFindings([
      request({ id: 'a', at: T0, flags: ['http_bad_request_line'] }),
      request({ id: 'b', at: T0 + 1000, flags: ['http_bad_request_line'] }),
      request({ id: 'c', at: T0 + 2000, method: 'POST', headers: { 'transfer-encoding': 'chunked' }, flags: ['http_bad_chunk_size'] }),
    ]);
    expect(f.map((x) => [x.rule.id, x.event.severity])).toEqual([['malformed_request.bad_request_line', 1]]);
    expect(f[0]!.message).toContain('http_bad_request_line');
  });

  it('raises malformed_request.repeated (medium) when one actor sends many', async () => {
    const flags = ['http_bad_request_line', 'http_bare_lf', 'http_obs_fold'] as const;
    const events = Array.from({ length: 20 }, (_, k) => request({ id: `m${String(k).padStart(2, '0')}`, at: T0 + k * 1000, flags: [flags[k % 3]!] }));
    const f = await protocolFindings(events);
    expect(f.map((x) => [x.rule.id, x.event.severity])).toEqual([
      ['malformed_request.bad_request_line', 1],
      ['malformed_request.repeated', 2],
    ]);
    expect(f[1]!.sidetap.evidence.exchange_ids).toHaveLength(20);
    expect(f[1]!.message).toContain('http_bare_lf');
  });

  it('takes a flag many actors show on one server for the server\'s habit', async () => {
    const events = Array.from({ length: 12 }, (_, k) => request({ id: `h${k}`, at: T0 + k * 1000, ip: `192.0.2.${k}`, flags: ['http_bare_lf'] }));
    expect((await protocolFindings(events)).length).toBe(5);
  });

  it('ignores syntax oddities on a connection capture joined mid-stream', async () => {
    expect(await protocolFindings([request({ id: 'g', at: T0, flags: ['midstream', 'http_bad_request_line'] })])).toEqual([]);
  });
});

describe('protocol_checks: unusual_method', () => {
  it('reports TRACE, WebDAV and made-up methods without learning', async () => {
    const f = await protocolFindings([
      request({ id: 'a', at: T0, method: 'TRACE' }),
      request({ id: 'b', at: T0, ip: '192.0.2.1', method: 'PROPFIND' }),
      request({ id: 'c', at: T0, ip: '192.0.2.2', method: 'get' }),
    ]);
    expect(ids(f)).toEqual(['unusual_method.always_unusual', 'unusual_method.always_unusual', 'unusual_method.unknown_method']);
    expect(f[0]!.message).toContain('cross-site tracing');
  });

  it('reports a method the endpoint never saw while learning, not the ones it uses', async () => {
    const base = { path: '/api/v1/cart/items/3', endpoint: '/api/v1/cart/items/{id}' };
    const training = [...learned(30, { ...base, method: 'PATCH' }), ...learned(30, { ...base, method: 'DELETE' }, 'd')];
    const after = [
      request({ ...base, id: 'p', at: AFTER, method: 'PATCH' }),
      request({ ...base, id: 'd', at: AFTER + 1, method: 'DELETE' }),
      request({ ...base, id: 'o', at: AFTER + 2, method: 'OPTIONS' }),
      request({ ...base, id: 'u', at: AFTER + 3, method: 'PUT' }),
    ];
    const f = await protocolFindings([...training, ...after]);
    expect(ids(f)).toEqual(['unusual_method.not_learned']);
    expect(f[0]!.sidetap.evidence.exchange_ids).toEqual(['u']);
    expect(f[0]!.message).toContain('only called with DELETE, PATCH.');
  });

  it('accepts HEAD where GET was learned and keeps unjudged endpoints quiet', async () => {
    const training = learned(30, { method: 'GET' });
    const f = await protocolFindings([...training, request({ id: 'h', at: AFTER, method: 'HEAD' }), request({ id: 'n', at: AFTER, path: '/new', method: 'PUT' })]);
    expect(f).toEqual([]);
  });

  it('judges by the spec where specMethods names the template', async () => {
    const spec = { specMethods: { '/v2/pets/{petId}': ['GET', 'DELETE'] } };
    const f = await protocolFindings(
      [request({ id: 'a', at: T0, path: '/v2/pets/1', endpoint: '/v2/pets/{petId}', method: 'PUT' }), request({ id: 'b', at: T0, path: '/v2/pets/1', endpoint: '/v2/pets/{petId}', method: 'DELETE' })],
      spec,
    );
    expect(ids(f)).toEqual(['unusual_method.not_in_spec']);
  });

  it('reports a method override to a method the endpoint does not accept', async () => {
    const training = learned(30, { method: 'GET' });
    const f = await protocolFindings([
      ...training,
      request({ id: 'o1', at: AFTER, method: 'POST', headers: { 'x-http-method-override': 'DELETE' } }),
      request({ id: 'o2', at: AFTER, ip: '192.0.2.7', method: 'POST', query: '_method=put' }),
      request({ id: 'ok', at: AFTER, ip: '192.0.2.8', method: 'GET', headers: { 'x-http-method-override': 'GET' } }),
    ]);
    // The POST itself is also unlearned on this GET-only endpoint.
    expect(ids(f)).toEqual(['unusual_method.not_learned', 'unusual_method.method_override', 'unusual_method.not_learned', 'unusual_method.method_override']);
    expect(f[1]!.event.severity).toBe(3);
    expect(f[3]!.message).toContain('parameter _method');
  });

  it('reads override parameters from the query first, then a form body', async () => {
    const form = 'application/x-www-form-urlencoded';
    const f = await protocolFindings([
      request({ id: 'q', at: T0, method: 'POST', query: '_method=TRACE', body: '_method=put', mime: form }),
      request({ id: 'b', at: T0 + 1, ip: '192.0.2.9', method: 'POST', body: 'a=1&_method=track', mime: form }),
      request({ id: 'j', at: T0 + 2, ip: '192.0.2.10', method: 'POST', body: '_method=track', mime: 'text/plain' }),
    ]);
    expect(ids(f)).toEqual(['unusual_method.method_override', 'unusual_method.method_override']);
    expect(f.map((x) => x.sidetap.evidence.observed)).toEqual(['POST with parameter _method: TRACE', 'POST with parameter _method: TRACK']);
  });

  it('reports an override to TRACE even without learning', async () => {
    const f = await protocolFindings([request({ id: 'o', at: T0, method: 'POST', headers: { 'x-http-method-override': 'TRACE' } })]);
    expect(ids(f)).toEqual(['unusual_method.method_override']);
  });
});

describe('protocol_checks: oversized_payload', () => {
  const upload = { path: '/api/v1/uploads', endpoint: '/api/v1/uploads', method: 'POST' };

  it('reports a body far over the learned maximum, not one within it', async () => {
    const training = learned(30, { ...upload, bodyBytes: 20_000 });
    const f = await protocolFindings([...training, request({ ...upload, id: 'ok', at: AFTER, bodyBytes: 150_000 }), request({ ...upload, id: 'big', at: AFTER + 1, bodyBytes: 3_000_000 })]);
    expect(ids(f)).toEqual(['oversized_payload.body_over_learned']);
    expect(f[0]!.sidetap.owasp_api).toBe('API4:2023');
  });

  it('keeps legitimately large uploads quiet where they were learned, even past the absolute cap', async () => {
    const training = learned(30, { ...upload, bodyBytes: 40 * 1024 * 1024 });
    const f = await protocolFindings([...training, request({ ...upload, id: 'u', at: AFTER, bodyBytes: 60 * 1024 * 1024 })]);
    // The cap holds without learning, so the very first upload is reported; once learned, no more.
    expect(f.map((x) => [x.rule.id, x.sidetap.evidence.exchange_ids])).toEqual([['oversized_payload.body_cap', ['l0']]]);
  });

  it('applies the absolute caps without learning', async () => {
    const many = Array.from({ length: 250 }, (_, k) => `f${k}=1`).join('&');
    const headers = Object.fromEntries(Array.from({ length: 120 }, (_, k) => [`x-h${k}`, 'v']));
    const deep = '['.repeat(80) + ']'.repeat(80);
    const wide = `[${Array.from({ length: 1500 }, () => '0').join(',')}]`;
    const f = await protocolFindings([
      request({ id: 'a', at: T0, method: 'POST', bodyBytes: 11 * 1024 * 1024 }),
      request({ id: 'b', at: T0, ip: '192.0.2.1', headers }),
      request({ id: 'c', at: T0, ip: '192.0.2.2', path: `/api/v1/items/${'a'.repeat(9000)}` }),
      request({ id: 'd', at: T0, ip: '192.0.2.3', query: many }),
      request({ id: 'e', at: T0, ip: '192.0.2.4', method: 'POST', mime: 'application/json', body: deep }),
      request({ id: 'f', at: T0, ip: '192.0.2.5', method: 'POST', mime: 'application/json', body: wide }),
    ]);
    expect(ids(f)).toEqual([
      'oversized_payload.body_cap',
      'oversized_payload.header_count_cap',
      'oversized_payload.url_cap',
      'oversized_payload.query_params_cap',
      'oversized_payload.json_depth_cap',
      'oversized_payload.json_members_cap',
    ]);
  });

  it('reports a compressed request body past the decompression cap', async () => {
    const e = request({ id: 'z', at: T0, method: 'POST', headers: { 'content-encoding': 'gzip' }, flags: ['decompression_bomb', 'body_sample_capped'] });
    expect(ids(await protocolFindings([e]))).toEqual(['oversized_payload.decompression_bomb']);
  });

  it('keeps learning after the learning period from requests that raised nothing', async () => {
    const training = learned(30, { ...upload, bodyBytes: 20_000 });
    // 190 KiB is within 10x, and becomes the new largest; 1.5 MiB is then within 10x of it.
    const steps = [request({ ...upload, id: 's1', at: AFTER, bodyBytes: 190_000 }), request({ ...upload, id: 's2', at: AFTER + 1, bodyBytes: 1_500_000 })];
    expect(await protocolFindings([...training, ...steps])).toEqual([]);
  });
});

describe('protocol_checks: protocol_violation', () => {
  const search = { path: '/api/v1/search', endpoint: '/api/v1/search' };

  it('reports a security-relevant parameter given twice with different values', async () => {
    const f = await protocolFindings([...learned(30, { ...search, query: 'q=a' }), request({ ...search, id: 'p', at: AFTER, query: 'q=a&user_id=7&user_id=8' })]);
    expect(ids(f)).toEqual(['protocol_violation.parameter_pollution']);
    expect(f[0]!.message).toContain('user_id');
  });

  it('lets array-style repetition and learned repetition pass', async () => {
    const training = learned(30, { ...search, query: 'id=1&id=2' });
    const f = await protocolFindings([
      ...training,
      request({ ...search, id: 'a', at: AFTER, query: 'ids=1&ids=2&ids=3' }),
      request({ ...search, id: 'b', at: AFTER, query: 'tag[]=x&tag[]=y' }),
      request({ ...search, id: 'c', at: AFTER, query: 'id=4&id=5' }),
      request({ ...search, id: 'd', at: AFTER, query: 'id=4&id=4' }),
    ]);
    expect(f).toEqual([]);
  });

  it('reports the same JSON key twice in one object, escapes decoded, and leaves unicode bodies alone', async () => {
    const f = await protocolFindings([
      request({ id: 'a', at: T0, method: 'POST', mime: 'application/json', body: '{"name":"x","r\\u006fle":"user","role":"admin"}' }),
      request({ id: 'b', at: T0, ip: '192.0.2.1', method: 'POST', mime: 'application/json', body: '{"名前":"山田","emoji":"😀","nested":{"名前":"x"},"list":[{"a":1},{"a":2}]}' }),
    ]);
    expect(ids(f)).toEqual(['protocol_violation.duplicate_json_key']);
    expect(f[0]!.event.severity).toBe(3);
  });

  it('reports conflicting Host and several Authorization credentials', async () => {
    const f = await protocolFindings([
      request({ id: 'a', at: T0, headers: { host: 'api.example.com, evil.example' }, flags: ['http_ambiguous_host'] }),
      request({ id: 'b', at: T0, ip: '192.0.2.1', headers: { authorization: 'Bearer h:aaa, Bearer h:bbb' } }),
      request({ id: 'd', at: T0, ip: '192.0.2.3', headers: { authorization: 'Digest username="a", realm="r", nonce="n"' } }),
    ]);
    expect(ids(f)).toEqual(['protocol_violation.conflicting_host', 'protocol_violation.multiple_authorization']);
  });

  it('reports control bytes and raw non-ASCII in the target, and a JSON body sent as a form', async () => {
    const f = await protocolFindings([
      request({ id: 'a', at: T0, path: '/api/v1/items/1\r\nX-Injected: 1', flags: ['http_bad_request_line'] }),
      request({ id: 'b', at: T0, ip: '192.0.2.1', path: '/api/v1/items/caf\u00e9' }),
      request({ id: 'c', at: T0, ip: '192.0.2.2', method: 'POST', mime: 'application/x-www-form-urlencoded', body: '{"amount":100}' }),
    ]);
    expect(ids(f)).toEqual(['protocol_violation.control_characters', 'protocol_violation.non_ascii_target', 'protocol_violation.content_type_mismatch']);
  });

  it('stays quiet on ordinary REST traffic', async () => {
    const f = await protocolFindings([
      request({ id: 'a', at: T0, method: 'POST', mime: 'application/json', body: '{"productId":7,"quantity":2}' }),
      request({ id: 'b', at: T0, method: 'POST', mime: 'application/x-www-form-urlencoded', body: 'email=a%40b.c&password=h%3Axyz' }),
      request({ id: 'c', at: T0, query: 'category=books&page=2&limit=24&sort=price' }),
      request({ id: 'd', at: T0, path: '/api/v1/items/caf%C3%A9', headers: { authorization: 'Bearer h:abc' } }),
      request({ id: 'e', at: T0, version: '1.0', headers: { host: undefined as unknown as string } }),
    ]);
    expect(f).toEqual([]);
  });
});
