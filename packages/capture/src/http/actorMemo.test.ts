import { actorKey, createRedactor } from '@sidetap/core';
import { ActorMemo } from './actorMemo';

const redactor = createRedactor({ key: Buffer.alloc(32, 1) });
const jwt = (sub: string) => `e30.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.sig`;

describe('ActorMemo', () => {
  it('gives what actorKey gives while credentials change, repeat and disappear', () => {
    const sequence: Array<[Record<string, string>, string]> = [
      [{ authorization: `Bearer ${jwt('alice')}` }, '10.0.0.1'],
      [{ authorization: `Bearer ${jwt('alice')}`, accept: '*/*' }, '10.0.0.1'],
      [{ authorization: `Bearer ${jwt('bob')}` }, '10.0.0.1'],
      [{}, '10.0.0.1'],
      [{}, '10.0.0.2'],
      [{ cookie: 'sid=1' }, '10.0.0.2'],
      [{ cookie: 'sid=2' }, '10.0.0.2'],
      [{ cookie: 'sid=2', 'x-api-key': 'k' }, '10.0.0.2'],
      [{ cookie: 'sid=2', 'api-key': 'k' }, '10.0.0.2'],
      [{ cookie: 'sid=2', 'x-auth-token': 't' }, '10.0.0.2'],
      [{ cookie: 'sid=2', 'x-access-token': 't' }, '10.0.0.2'],
      [{ cookie: 'sid=2' }, '10.0.0.2'],
      [{ authorization: 'Basic Ym9iOnB3' }, '10.0.0.2'],
      [{ authorization: 'Basic Ym9iOnB3' }, '10.0.0.2'],
    ];
    const memo = new ActorMemo({ redactor });
    for (const [headers, clientIp] of sequence) {
      expect(memo.actorKey(headers, clientIp)).toBe(actorKey({ headers, clientIp }, { redactor }));
    }
  });

  it('watches the configured API-key headers, not the defaults', () => {
    const options = { redactor, apiKeyHeaders: ['x-tenant-key', 'constructor'], sessionCookies: ['mysess'] };
    const sequence: Array<[Record<string, string>, string]> = [
      [{ 'x-tenant-key': 'k1' }, '10.0.0.1'],
      [{ 'x-tenant-key': 'k1', 'x-api-key': 'ignored' }, '10.0.0.1'],
      [{ 'x-tenant-key': 'k2', 'x-api-key': 'ignored' }, '10.0.0.1'],
      [{ 'x-api-key': 'ignored' }, '10.0.0.1'],
      [{ cookie: 'mysess=1' }, '10.0.0.1'],
      [{ cookie: 'mysess=1', constructor: 'k3' }, '10.0.0.1'],
      [{ cookie: 'mysess=1' }, '10.0.0.1'],
      [{ cookie: 'sid=1' }, '10.0.0.1'],
    ];
    const memo = new ActorMemo(options);
    const keys = sequence.map(([headers, clientIp]) => memo.actorKey(headers, clientIp));
    expect(keys).toEqual(sequence.map(([headers, clientIp]) => actorKey({ headers, clientIp }, options)));
    expect(new Set(keys).size).toBe(5);
  });
});
