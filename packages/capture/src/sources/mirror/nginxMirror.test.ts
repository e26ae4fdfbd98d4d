import { nginxExchange } from './nginxMirror';
import { RecordError } from './recordFault';
import { exchangesOf, redacted } from './testMirror';

const rawHeaders = [
  'Host', 'app.example.test',
  'X-Real-IP', '203.0.113.9',
  'X-Forwarded-For', '198.51.100.1, 203.0.113.9',
  'X-Sidetap-Token', 'tok',
  'X-Sidetap-Client-Port', '50123',
  'X-Sidetap-Server-Addr', '10.0.0.5',
  'X-Sidetap-Server-Port', '443',
  'X-Sidetap-Protocol', 'HTTP/2.0',
  'X-Sidetap-Request-Id', 'f00dfeedf00dfeedf00dfeedf00dfeed',
  'X-Sidetap-Time', '1715684400.125',
  'Authorization', 'Basic ZnJhbms6cGFzcw==',
  'Content-Type', 'application/json',
  'Content-Length', '15',
];

describe('NGINX-mirrored requests', () => {
  it('rebuilds the client\'s request: its address, its own X-Forwarded-For, no sidetap headers, request-only', () => {
    const parts = nginxExchange({ method: 'PATCH', target: '/api/users/7?x=1', rawHeaders, body: Buffer.from('{"role":"root"}'), peer: { ip: '127.0.0.1', port: 40000 }, nowUs: 0 });
    const [ex] = exchangesOf('nginx', { parts: [parts], faults: [] });
    expect(ex?.source).toMatchObject({ ip: '203.0.113.9', port: 50123 });
    expect(ex?.destination).toMatchObject({ ip: '10.0.0.5', port: 443 });
    expect(ex?.http.version).toBe('2');
    expect(ex?.['@timestamp']).toBe('2024-05-14T11:00:00.125Z');
    expect(ex?.http.request.headers).toEqual({
      host: 'app.example.test',
      'x-forwarded-for': '198.51.100.1',
      authorization: redacted('authorization', 'Basic ZnJhbms6cGFzcw=='),
      'content-type': 'application/json',
      'content-length': '15',
    });
    expect(ex?.sidetap.actor_key).toBe('basic:frank');
    expect(ex?.http.request.body).toEqual({ bytes: 15, content: '{"role":"root"}' });
    expect(ex?.sidetap.capture).toEqual({ source: 'mirror:nginx', flags: ['unanswered_request'] });
    expect(parts.key).toBe('nginx:f00dfeedf00dfeedf00dfeedf00dfeed');
  });

  it('falls back to the X-Forwarded-For hop NGINX added, then to the connection; a bad address is an error', () => {
    const xffOnly = nginxExchange({ method: 'GET', target: '/', rawHeaders: ['X-Forwarded-For', '192.0.2.44'], body: Buffer.alloc(0), peer: { ip: '127.0.0.1', port: 1 }, nowUs: 5 });
    expect(xffOnly.client.ip).toBe('192.0.2.44');
    expect(xffOnly.request.headers).toEqual([]);
    expect(nginxExchange({ method: 'GET', target: '/', rawHeaders: [], body: Buffer.alloc(0), peer: { ip: '127.0.0.1', port: 1 }, nowUs: 5 }).client).toEqual({ ip: '127.0.0.1', port: 1 });
    expect(() => nginxExchange({ method: 'GET', target: '/', rawHeaders: ['X-Real-IP', 'evil'], body: Buffer.alloc(0), peer: { ip: '127.0.0.1', port: 1 }, nowUs: 5 })).toThrow(
      new RecordError('mirrored request: X-Real-IP is not an IP address.'),
    );
  });
});
