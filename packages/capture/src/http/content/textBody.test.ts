import { isTextualBody, mimeTypeOf } from './textBody';

const json = Buffer.from('{"a":1}');
const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]);

describe('mimeTypeOf', () => {
  it('drops parameters, trims and lower-cases', () => {
    expect(mimeTypeOf('Application/JSON; charset=utf-8')).toBe('application/json');
    expect(mimeTypeOf('  text/html ')).toBe('text/html');
    expect(mimeTypeOf('multipart/form-data; boundary=x')).toBe('multipart/form-data');
  });
  it('returns undefined for absent or malformed values', () => {
    expect(mimeTypeOf(undefined)).toBeUndefined();
    expect(mimeTypeOf('')).toBeUndefined();
    expect(mimeTypeOf('json')).toBeUndefined();
    expect(mimeTypeOf('/json')).toBeUndefined();
    expect(mimeTypeOf('text/')).toBeUndefined();
  });
});

describe('isTextualBody', () => {
  it('keeps API payload types as text whatever the bytes', () => {
    for (const t of [
      'application/json',
      'application/problem+json',
      'application/xml',
      'application/atom+xml',
      'application/x-www-form-urlencoded',
      'text/html',
      'text/plain; charset=utf-8',
      'application/javascript',
      'application/graphql',
      'multipart/form-data',
      'application/x-ndjson',
    ]) {
      expect(isTextualBody(t, json)).toBe(true);
    }
  });
  it('drops media types', () => {
    for (const t of ['image/png', 'video/mp4', 'audio/mpeg', 'font/woff2']) expect(isTextualBody(t, json)).toBe(false);
  });
  it('sniffs untyped and unlisted application types', () => {
    expect(isTextualBody(undefined, json)).toBe(true);
    expect(isTextualBody(undefined, Buffer.from('héllo wörld\r\n\ttabs'))).toBe(true);
    expect(isTextualBody(undefined, binary)).toBe(false);
    expect(isTextualBody('application/octet-stream', json)).toBe(true);
    expect(isTextualBody('application/octet-stream', binary)).toBe(false);
    expect(isTextualBody('application/vnd.acme.v1', binary)).toBe(false);
    expect(isTextualBody(undefined, Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toBe(false);
    expect(isTextualBody(undefined, Buffer.alloc(0))).toBe(true);
  });
});
