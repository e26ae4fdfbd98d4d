// The record codec both ways: real records survive a round trip, and every way bytes can be wrong
// ends in a RecordDecodeError naming the reason, which is what the bus counts rejections by.
import { decode, encode } from '@msgpack/msgpack';
import { eventSchema } from '../event';
import { findingSchema } from '../finding';
import { httpExchangeSchema } from '../httpExchange';
import { sampleEvent, sampleExchange, sampleFinding } from '../testRecords';
import { createJsonRecordCodec, createRecordCodec, RECORD_SCHEMA_VERSION, RecordDecodeError } from './recordCodec';
import type { RecordDecodeFailure } from './recordCodec';

const exchangeCodec = createRecordCodec('exchange', httpExchangeSchema);

/** The error decode throws, so a test can check its reason and message. */
function decodeError(run: () => unknown): RecordDecodeError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(RecordDecodeError);
    return err as RecordDecodeError;
  }
  throw new Error('decode accepted the bytes');
}

function expectReason(run: () => unknown, reason: RecordDecodeFailure): RecordDecodeError {
  const err = decodeError(run);
  expect(err.reason).toBe(reason);
  expect(err.name).toBe('RecordDecodeError');
  return err;
}

describe('createRecordCodec', () => {
  it('round-trips an exchange, an event and a finding', () => {
    const eventCodec = createRecordCodec('event', eventSchema);
    const findingCodec = createRecordCodec('finding', findingSchema);
    expect(exchangeCodec.decode(exchangeCodec.encode(sampleExchange()))).toEqual(sampleExchange());
    expect(eventCodec.decode(eventCodec.encode(sampleEvent()))).toEqual(sampleEvent());
    expect(findingCodec.decode(findingCodec.encode(sampleFinding()))).toEqual(sampleFinding());
  });

  it('writes the envelope [version, kind, record] that any MessagePack reader can open', () => {
    expect(decode(exchangeCodec.encode(sampleExchange()))).toEqual([RECORD_SCHEMA_VERSION, 'exchange', sampleExchange()]);
  });

  it('gives each encode its own bytes, though the encoder reuses its buffer', () => {
    const first = exchangeCodec.encode(sampleExchange());
    const copy = Uint8Array.from(first);
    exchangeCodec.encode({ ...sampleExchange(), url: { original: '/other', path: '/other' } });
    expect(first).toEqual(copy);
  });

  it('decodes from a view into a larger buffer, as a Kafka message value is', () => {
    const bytes = exchangeCodec.encode(sampleExchange());
    const pool = Buffer.alloc(bytes.length + 20, 0xff);
    pool.set(bytes, 10);
    expect(exchangeCodec.decode(pool.subarray(10, 10 + bytes.length))).toEqual(sampleExchange());
  });

  it('leaves undefined optional fields out instead of writing nil, which the schema would refuse', () => {
    const record = { ...sampleExchange(), user_agent: undefined, url: { ...sampleExchange().url, query: undefined } };
    const bytes = exchangeCodec.encode(record);
    expect(Buffer.from(bytes).includes('user_agent')).toBe(false);
    expect(Buffer.from(bytes).includes('query')).toBe(false);
    const back = exchangeCodec.decode(bytes);
    expect('user_agent' in back).toBe(false);
    expect('query' in back.url).toBe(false);
    expect(back.url.path).toBe('/api/v1/accounts/42');
  });

  it("rejects another schema version with reason 'version'", () => {
    const bytes = encode([RECORD_SCHEMA_VERSION + 1, 'exchange', sampleExchange()]);
    const err = expectReason(() => exchangeCodec.decode(bytes), 'version');
    expect(err.message).toContain(`version ${RECORD_SCHEMA_VERSION + 1}`);
    expectReason(() => exchangeCodec.decode(encode(['1', 'exchange', sampleExchange()])), 'version');
  });

  it("rejects a record of another kind with reason 'kind'", () => {
    const bytes = createRecordCodec('event', eventSchema).encode(sampleEvent());
    const err = expectReason(() => exchangeCodec.decode(bytes), 'kind');
    expect(err.message).toBe('a event record where exchange was expected');
  });

  it("rejects a wrong field type with reason 'shape', naming the field path", () => {
    const record = sampleExchange() as unknown as { source: { port: unknown } };
    record.source.port = '51514';
    const err = expectReason(() => exchangeCodec.decode(encode([RECORD_SCHEMA_VERSION, 'exchange', record])), 'shape');
    expect(err.message).toMatch(/^exchange field source\.port: /);

    const finding = sampleFinding() as unknown as { sidetap: { evidence: { exchange_ids: unknown[] } } };
    finding.sidetap.evidence.exchange_ids[1] = 7;
    const findingCodec = createRecordCodec('finding', findingSchema);
    const findingErr = expectReason(() => findingCodec.decode(encode([RECORD_SCHEMA_VERSION, 'finding', finding])), 'shape');
    expect(findingErr.message).toMatch(/^finding field sidetap\.evidence\.exchange_ids\.1: /);
  });

  it("rejects a record that is not an object with reason 'shape' at the root", () => {
    const err = expectReason(() => exchangeCodec.decode(encode([RECORD_SCHEMA_VERSION, 'exchange', 'text'])), 'shape');
    expect(err.message).toMatch(/^exchange field \(root\): /);
  });

  it("rejects bytes that are not MessagePack with reason 'msgpack'", () => {
    // 0xc1 is the one byte MessagePack never uses.
    expectReason(() => exchangeCodec.decode(Uint8Array.from([0xc1, 0x00, 0x01])), 'msgpack');
    expectReason(() => exchangeCodec.decode(Buffer.from('{"not":"msgpack"')), 'msgpack');
    // A valid record cut short is not MessagePack either.
    const bytes = exchangeCodec.encode(sampleExchange());
    expectReason(() => exchangeCodec.decode(bytes.subarray(0, bytes.length - 5)), 'msgpack');
    expectReason(() => exchangeCodec.decode(new Uint8Array()), 'msgpack');
  });

  it("rejects valid MessagePack that is not a three-element array with reason 'envelope'", () => {
    expectReason(() => exchangeCodec.decode(encode({ version: 1, kind: 'exchange' })), 'envelope');
    expectReason(() => exchangeCodec.decode(encode([RECORD_SCHEMA_VERSION, 'exchange'])), 'envelope');
    expectReason(() => exchangeCodec.decode(encode([RECORD_SCHEMA_VERSION, 'exchange', sampleExchange(), 'extra'])), 'envelope');
    expectReason(() => exchangeCodec.decode(encode(42)), 'envelope');
    expectReason(() => exchangeCodec.decode(encode(null)), 'envelope');
  });

  it('keeps decoding after a rejection (the decoder holds no broken state)', () => {
    expect(() => exchangeCodec.decode(Uint8Array.from([0x93, 0x01]))).toThrow(RecordDecodeError);
    expect(exchangeCodec.decode(exchangeCodec.encode(sampleExchange()))).toEqual(sampleExchange());
  });

  describe('with validate: false', () => {
    const trusting = createRecordCodec('exchange', httpExchangeSchema, { validate: false });

    it('skips the shape check', () => {
      const record = { ...sampleExchange(), source: { ip: '10.0.0.5', port: 'not a port' } };
      expect(trusting.decode(encode([RECORD_SCHEMA_VERSION, 'exchange', record]))).toEqual(record);
      // The same bytes fail where validation is on: the skip is the option's doing.
      expectReason(() => exchangeCodec.decode(encode([RECORD_SCHEMA_VERSION, 'exchange', record])), 'shape');
    });

    it('still checks the version, the kind and the envelope', () => {
      expectReason(() => trusting.decode(encode([RECORD_SCHEMA_VERSION + 1, 'exchange', sampleExchange()])), 'version');
      expectReason(() => trusting.decode(encode([RECORD_SCHEMA_VERSION, 'finding', sampleExchange()])), 'kind');
      expectReason(() => trusting.decode(encode(['exchange'])), 'envelope');
      expectReason(() => trusting.decode(Uint8Array.from([0xc1])), 'msgpack');
    });
  });
});

describe('createJsonRecordCodec', () => {
  const json = createJsonRecordCodec('exchange', httpExchangeSchema);

  it('round-trips the same envelope as JSON text', () => {
    const bytes = json.encode(sampleExchange());
    expect(JSON.parse(Buffer.from(bytes).toString('utf8'))).toEqual([RECORD_SCHEMA_VERSION, 'exchange', sampleExchange()]);
    expect(json.decode(bytes)).toEqual(sampleExchange());
  });

  it('is larger than MessagePack for a real exchange (the reason MessagePack is the wire format)', () => {
    expect(exchangeCodec.encode(sampleExchange()).length).toBeLessThan(json.encode(sampleExchange()).length);
  });

  it('rejects with the same RecordDecodeError reasons as the MessagePack codec', () => {
    const text = (value: unknown) => Buffer.from(JSON.stringify(value));
    expectReason(() => json.decode(Buffer.from('{"truncated":')), 'msgpack');
    expectReason(() => json.decode(text({ a: 1 })), 'envelope');
    expectReason(() => json.decode(text([RECORD_SCHEMA_VERSION + 1, 'exchange', sampleExchange()])), 'version');
    expectReason(() => json.decode(text([RECORD_SCHEMA_VERSION, 'event', sampleExchange()])), 'kind');
    const bad = { ...sampleExchange(), http: { ...sampleExchange().http, version: 1.1 } };
    expect(expectReason(() => json.decode(text([RECORD_SCHEMA_VERSION, 'exchange', bad])), 'shape').message).toMatch(/^exchange field http\.version: /);
  });

  it('skips only the shape check with validate: false', () => {
    const trusting = createJsonRecordCodec('exchange', httpExchangeSchema, { validate: false });
    const bad = { ...sampleExchange(), http: { ...sampleExchange().http, version: 1.1 } };
    expect(trusting.decode(Buffer.from(JSON.stringify([RECORD_SCHEMA_VERSION, 'exchange', bad])))).toEqual(bad);
    expectReason(() => trusting.decode(Buffer.from(JSON.stringify([RECORD_SCHEMA_VERSION, 'event', bad]))), 'kind');
  });
});
