import { gzipSync } from 'node:zlib';
import { httpExchangeSchema } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { ActorMemo } from './actorMemo';
import { harness, T0 } from './__tests__/connectionHarness';
import type { Harness } from './__tests__/connectionHarness';
import { buildMessageExchange } from './messageExchange';
import type { ExchangeParts } from './messageExchange';
import { RedactionMemo } from './redactionMemo';

const jwt = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'alice' })).toString('base64url')}.c2ln`;

/** A request and its response as [name, value] lists, sent through the wire parser too. */
const reqHeaders: Array<[string, string]> = [
  ['Host', 'api.example.com'],
  ['User-Agent', 'curl/8.5.0'],
  ['Authorization', `Bearer ${jwt}`],
  ['Cookie', 'sid=abc123; theme=dark'],
  ['Content-Type', 'application/json'],
  ['Content-Length', '37'],
];
const reqBody = Buffer.from('{"user":"alice","password":"hunter2"}');
const resBodyPlain = Buffer.from(JSON.stringify({ token: 'tok-1', items: [1, 2, 3] }));
const resBody = gzipSync(resBodyPlain);
const resHeaders: Array<[string, string]> = [
  ['Content-Type', 'application/json; charset=utf-8'],
  ['Content-Encoding', 'gzip'],
  ['Set-Cookie', 'sid=new456; HttpOnly'],
  ['Content-Length', String(resBody.length)],
];

function wire(startLine: string, headers: Array<[string, string]>, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${startLine}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`, 'latin1'), body]);
}

function fromPackets(h: Harness): HttpExchange {
  h.send(0, wire('POST /api/v1/login?next=%2Fhome&access_token=s3cret HTTP/1.1', reqHeaders, reqBody), T0);
  h.send(1, wire('HTTP/1.1 200 OK', resHeaders, resBody), T0 + 2500);
  h.close('fin', T0 + 3000);
  expect(h.exchanges).toHaveLength(1);
  return h.exchanges[0] as HttpExchange;
}

function parts(overrides: Partial<ExchangeParts> = {}): ExchangeParts {
  return {
    key: 'conn-1',
    client: { ip: '10.0.0.1', port: 51000 },
    server: { ip: '10.0.0.2', port: 8080 },
    request: { method: 'POST', target: '/api/v1/login?next=%2Fhome&access_token=s3cret', version: '1.1', headers: reqHeaders, body: reqBody, startUs: T0, endUs: T0 },
    response: { status: 200, reason: 'OK', version: '1.1', headers: resHeaders, body: resBody, startUs: T0 + 2500, endUs: T0 + 2500 },
    flags: [],
    ...overrides,
  };
}

const memos = (h: Harness) => ({ redaction: new RedactionMemo(h.ctx.redactor), actor: new ActorMemo(h.ctx.actor) });

describe('buildMessageExchange', () => {
  it('gives the exchange the wire parser gives for the same request and response', () => {
    const h = harness();
    const expected = fromPackets(h);
    const built = buildMessageExchange(parts(), h.ctx, memos(h));
    expect(httpExchangeSchema.safeParse(built).success).toBe(true);
    // Same connection id, same index: even the event id agrees.
    expect(built).toEqual(expected);
    // And what that means, spelled out: secrets hashed, body decoded and redacted, actor from the JWT.
    expect(built.http.request.headers['authorization']).not.toContain(jwt);
    expect(built.http.request.body.content).not.toContain('hunter2');
    expect(built.http.response?.body.content).toContain('"items":[1,2,3]');
    expect(built.http.response?.body.bytes).toBe(resBody.length);
    expect(built.url.query).not.toContain('s3cret');
    expect(built.sidetap.actor_key).toBe('jwt:alice');
    expect(built.event.duration).toBe(2_500_000);
  });

  it('marks a request without a response as unanswered and keeps the size a missing body announced', () => {
    const h = harness();
    const ex = buildMessageExchange(parts({ response: undefined, request: { ...parts().request, body: undefined } }), h.ctx, memos(h));
    expect(ex.sidetap.capture.flags).toEqual(['unanswered_request']);
    expect(ex.http.response).toBeUndefined();
    expect(ex.http.request.body).toEqual({ bytes: 37 });
  });

  it('flags a body the record cut short and never decodes a body that arrived decoded', () => {
    const h = harness();
    const cut = buildMessageExchange(parts({ request: { ...parts().request, body: reqBody.subarray(0, 10), bodyBytes: 37 } }), h.ctx, memos(h));
    expect(cut.sidetap.capture.flags).toContain('body_sample_capped');
    expect(cut.http.request.body.bytes).toBe(37);
    const decoded = buildMessageExchange(parts({ response: { ...(parts().response as NonNullable<ExchangeParts['response']>), body: resBodyPlain, bodyDecoded: true, bodyBytes: resBody.length } }), h.ctx, memos(h));
    expect(decoded.sidetap.capture.flags).not.toContain('content_decode_error');
    expect(decoded.http.response?.body).toEqual({ bytes: resBody.length, content: expect.stringContaining('"token"') });
  });

  it('flags the header oddities the wire parser flags, and drops names that are not tokens', () => {
    const h = harness();
    const ex = buildMessageExchange(
      parts({
        request: {
          ...parts().request,
          method: 'GE T',
          headers: [['Host', 'a.example'], ['Host', 'b.example'], ['Bad Name', 'x'], ['X-Ctl', 'a\u0001b'], ['Content-Length', '37'], ['Transfer-Encoding', 'chunked']],
        },
      }),
      h.ctx,
      memos(h),
    );
    expect(ex.sidetap.capture.flags).toEqual(expect.arrayContaining(['http_bad_request_line', 'http_invalid_header', 'http_ambiguous_host', 'http_content_length_and_chunked']));
    expect(Object.keys(ex.http.request.headers)).not.toContain('bad name');
  });
});
