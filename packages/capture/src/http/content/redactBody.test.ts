import { createRedactor } from '@sidetap/core';
import { redactBody } from './redactBody';

const redactor = createRedactor({ key: Buffer.alloc(32, 7) });
const h = (v: string): string => redactor.hash(v);

describe('redactBody', () => {
  it('hashes secret fields anywhere in a JSON document', () => {
    const doc = {
      user: { name: 'ann', password: 'hunter2', profile: { api_key: 'k-1', tags: ['a'] } },
      items: [{ card_number: '4111111111111111', cvv: 123 }, { note: 'fine' }],
      access_token: 'tok',
      password_meta: { old: 'o1', history: ['o2', 3] },
      otp_enabled: true,
    };
    const out = JSON.parse(redactBody(JSON.stringify(doc), 'application/json', redactor));
    expect(out).toEqual({
      user: { name: 'ann', password: h('hunter2'), profile: { api_key: h('k-1'), tags: ['a'] } },
      items: [{ card_number: h('4111111111111111'), cvv: h('123') }, { note: 'fine' }],
      access_token: h('tok'),
      password_meta: { old: h('o1'), history: [h('o2'), h('3')] },
      otp_enabled: true,
    });
  });

  it('leaves a JSON document without secrets byte-identical', () => {
    const doc = '{ "name" : "ann",\n  "token_count_note": null, "pinned": [1, 2] }';
    expect(redactBody(doc, 'application/json', redactor)).toBe(doc);
    const plain = '{"a": 1,  "b": "x"}';
    expect(redactBody(plain, 'application/json', redactor)).toBe(plain);
  });

  it('rewrites pairs in place in a truncated JSON sample, including a value cut short', () => {
    const cut = '{"user": {"email": "a@b.c", "password" : "hunter2"}, "pin": 1234, "client_secret": "abcdef';
    expect(redactBody(cut, 'application/json', redactor)).toBe(
      `{"user": {"email": "a@b.c", "password" : "${h('hunter2')}"}, "pin": "${h('1234')}", "client_secret": "${h('abcdef')}`,
    );
  });

  it('decodes escapes in names and values on the pair path', () => {
    const cut = '{"pass\\u0077ord": "a\\"b", "x": ';
    expect(redactBody(cut, 'application/json', redactor)).toBe(`{"pass\\u0077ord": "${h('a"b')}", "x": `);
  });

  it('survives hostile nesting without overflowing the stack', () => {
    const deep = '{"a":'.repeat(10_000) + '{"password":"x"}' + '}'.repeat(10_000);
    const out = redactBody(deep, 'application/json', redactor);
    expect(out).toContain(h('x'));
    expect(out).not.toContain('"x"');
    const arrays = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(redactBody(arrays + ' token', undefined, redactor)).toBe(arrays + ' token');
  });

  it('treats untyped bodies by their first character', () => {
    expect(JSON.parse(redactBody('{"pwd":"p"}', undefined, redactor))).toEqual({ pwd: h('p') });
    expect(redactBody('a=1&pwd=p', undefined, redactor)).toBe(`a=1&pwd=${h('p')}`);
    expect(redactBody('just some text with a password in it', undefined, redactor)).toBe('just some text with a password in it');
  });

  it('hashes form fields and keeps the rest byte-identical', () => {
    expect(redactBody('a=1&password=x', 'application/x-www-form-urlencoded', redactor)).toBe(`a=1&password=${h('x')}`);
    const body = 'user%5Bpassword%5D=p%40ss+word&user%5Bname%5D=ann&&flag&new_password=&token=t';
    expect(redactBody(body, 'application/x-www-form-urlencoded; charset=utf-8', redactor)).toBe(
      `user%5Bpassword%5D=${h('p@ss word')}&user%5Bname%5D=ann&&flag&new_password=${h('')}&token=${h('t')}`,
    );
    expect(redactBody('bad%zz=1&secret=%E0%A4%A', 'application/x-www-form-urlencoded', redactor)).toBe(
      `bad%zz=1&secret=${h('%E0%A4%A')}`,
    );
    expect(redactBody('a=1&b=2&key_id=3', 'application/x-www-form-urlencoded', redactor)).toBe('a=1&b=2&key_id=3');
  });

  it('hashes multipart form-data parts named like secrets', () => {
    const body = [
      '--XyZ',
      'Content-Disposition: form-data; name="username"',
      '',
      'ann',
      '--XyZ',
      'Content-Disposition: form-data; name="password"',
      '',
      'hunter2',
      '--XyZ',
      'Content-Disposition: form-data; name="avatar"; filename="password.png"',
      'Content-Type: image/png',
      '',
      'PNGDATA',
      '--XyZ--',
      '',
    ].join('\r\n');
    const out = redactBody(body, 'multipart/form-data', redactor);
    expect(out).toBe(body.replace('\r\nhunter2\r\n', `\r\n${h('hunter2')}\r\n`));
    const cut = body.slice(0, body.indexOf('hunter2') + 4);
    expect(redactBody(cut, 'multipart/form-data', redactor)).toBe(cut.replace(/hunt$/, h('hunt')));
  });

  it('leaves other media types alone', () => {
    const xml = '<password>x</password>';
    expect(redactBody(xml, 'application/xml', redactor)).toBe(xml);
    expect(redactBody('', 'application/json', redactor)).toBe('');
  });
});
