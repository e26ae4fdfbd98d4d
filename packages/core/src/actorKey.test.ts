import { actorKey } from './actorKey';
import { createRedactor } from './redaction';

const redactor = createRedactor({ key: Buffer.alloc(32, 1) });
const jwt = (payload: object) =>
  `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('actorKey', () => {
  it('uses the JWT subject', () => {
    expect(actorKey({ headers: { authorization: `Bearer ${jwt({ sub: 'alice' })}` }, clientIp: '10.0.0.1' }, { redactor })).toBe('jwt:alice');
  });
  it('hashes an opaque bearer token as an api key, never showing it', () => {
    const key = actorKey({ headers: { authorization: 'Bearer opaque-secret' }, clientIp: '10.0.0.1' }, { redactor });
    expect(key).toBe(`api_key:${redactor.hash('opaque-secret')}`);
  });
  it('takes the Basic user name', () => {
    const cred = Buffer.from('bob:pw').toString('base64');
    expect(actorKey({ headers: { authorization: `Basic ${cred}` }, clientIp: '10.0.0.1' }, { redactor })).toBe('basic:bob');
  });
  it('uses API key headers and session cookies before the IP', () => {
    expect(actorKey({ headers: { 'x-api-key': 'k1' }, clientIp: '1.2.3.4' }, { redactor })).toBe(`api_key:${redactor.hash('k1')}`);
    expect(actorKey({ headers: { cookie: 'theme=x; SESSIONID=abc' }, clientIp: '1.2.3.4' }, { redactor })).toBe(`cookie:${redactor.hash('abc')}`);
    expect(actorKey({ headers: { cookie: 'theme=x' }, clientIp: '1.2.3.4' }, { redactor })).toBe('ip:1.2.3.4');
  });
});
