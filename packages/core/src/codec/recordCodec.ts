// MessagePack encoding of pipeline records with a schema version, so a stage never acts on a
// record it does not understand: decoding checks the version, the record kind and the shape.
import { Decoder, Encoder } from '@msgpack/msgpack';
import type { z } from 'zod';

/** Bumped whenever a record contract changes in a way old readers would misread. */
export const RECORD_SCHEMA_VERSION = 1;

export type RecordDecodeFailure = 'msgpack' | 'envelope' | 'version' | 'kind' | 'shape';

export class RecordDecodeError extends Error {
  constructor(
    readonly reason: RecordDecodeFailure,
    message: string,
  ) {
    super(message);
    this.name = 'RecordDecodeError';
  }
}

export interface RecordCodec<T> {
  /** Record kind carried in every envelope (`exchange`, `event`, `finding`). */
  readonly kind: string;
  encode(record: T): Uint8Array;
  /** Throws RecordDecodeError for bytes that are not a current record of this kind. */
  decode(bytes: Uint8Array): T;
}

export interface RecordCodecOptions {
  /**
   * Check the decoded record against the zod schema (default true). A trusted hop inside one
   * deployment may turn it off for speed; the version and kind are always checked.
   */
  validate?: boolean;
}

/**
 * The envelope is a three-element array [version, kind, record]: smaller than a map and readable
 * by any MessagePack tool.
 */
export function createRecordCodec<S extends z.ZodType>(
  kind: string,
  schema: S,
  options: RecordCodecOptions = {},
): RecordCodec<z.infer<S>> {
  // Encoder and Decoder keep reusable buffers and a key cache, so one pair per codec.
  const encoder = new Encoder({ ignoreUndefined: true });
  const decoder = new Decoder();
  const validate = options.validate ?? true;
  return {
    kind,
    encode(record) {
      return encoder.encode([RECORD_SCHEMA_VERSION, kind, record]);
    },
    decode(bytes) {
      let envelope: unknown;
      try {
        envelope = decoder.decode(bytes);
      } catch (err) {
        throw new RecordDecodeError('msgpack', `not MessagePack: ${(err as Error).message}`);
      }
      return openEnvelope(envelope, kind, validate ? schema : undefined);
    },
  };
}

/** Checks version and kind, then the shape when a schema is given, and returns the record. */
function openEnvelope<S extends z.ZodType>(envelope: unknown, kind: string, schema: S | undefined): z.infer<S> {
  if (!Array.isArray(envelope) || envelope.length !== 3) {
    throw new RecordDecodeError('envelope', 'not a sidetap record envelope [version, kind, record]');
  }
  const [version, gotKind, record] = envelope as [unknown, unknown, unknown];
  if (version !== RECORD_SCHEMA_VERSION) {
    throw new RecordDecodeError('version', `record schema version ${String(version)}, this build reads ${RECORD_SCHEMA_VERSION}`);
  }
  if (gotKind !== kind) throw new RecordDecodeError('kind', `a ${String(gotKind)} record where ${kind} was expected`);
  if (schema === undefined) return record as z.infer<S>;
  const parsed = schema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RecordDecodeError('shape', `${kind} field ${issue?.path.map(String).join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as z.infer<S>;
}

/**
 * The same envelope as JSON text: what the MessagePack encoding is measured against. It keeps the
 * RecordCodec contract (RecordDecodeError with the same reasons), so a bus can carry it too.
 */
export function createJsonRecordCodec<S extends z.ZodType>(
  kind: string,
  schema: S,
  options: RecordCodecOptions = {},
): RecordCodec<z.infer<S>> {
  const validate = options.validate ?? true;
  return {
    kind,
    encode: (record) => Buffer.from(JSON.stringify([RECORD_SCHEMA_VERSION, kind, record])),
    decode(bytes) {
      let envelope: unknown;
      try {
        envelope = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
      } catch (err) {
        // Reported under the same reason as bad MessagePack: the bytes are not the wire encoding.
        throw new RecordDecodeError('msgpack', `not JSON: ${(err as Error).message}`);
      }
      return openEnvelope(envelope, kind, validate ? schema : undefined);
    },
  };
}
