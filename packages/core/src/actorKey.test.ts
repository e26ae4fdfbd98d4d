import { actorKey, jwtSubject } from './actorKey';
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
  it('hashes a three-part token that is not a JWT, keeping its jwt kind', () => {
    for (const token of ['abc.def.ghi', 'a..b', `x.${Buffer.from('[1,2]').toString('base64url')}.y`, `x.${Buffer.from('{"sub":').toString('base64url')}.y`]) {
      expect(actorKey({ headers: { authorization: `Bearer ${token}` }, clientIp: '10.0.0.1' }, { redactor })).toBe(`jwt:${redactor.hash(token)}`);
    }
    expect(jwtSubject('abc.def.ghi')).toBeUndefined();
    expect(jwtSubject(jwt({ sub: 'x' }) + '.extra')).toBeUndefined();
    expect(jwtSubject(`x.${Buffer.from(' {"sub":42} ').toString('base64url')}.y`)).toBe('42');
    expect(jwtSubject(`x.${Buffer.from('{"sub":""}').toString('base64url')}.y`)).toBeUndefined();
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
