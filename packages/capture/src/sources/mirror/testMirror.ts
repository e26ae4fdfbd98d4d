// Test kit: fixtures from testdata/ and exchanges built from parsed records, schema-checked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRedactor, httpExchangeSchema } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { defaultCaptureConfig } from '../../captureConfig';
import { MirrorExchanges } from './mirrorExchanges';
import type { MirrorFormat } from './mirrorExchanges';
import type { ParsedBatch } from './recordFault';

export const TEST_KEY = Buffer.alloc(32, 7);
export const testRedactor = createRedactor({ key: TEST_KEY });

export const fixture = (name: string): Buffer => readFileSync(join(__dirname, 'testdata', name));

/** The exchanges a parsed batch becomes, each checked against the HttpExchange contract. */
export function exchangesOf(format: MirrorFormat, batch: ParsedBatch): HttpExchange[] {
  const builder = new MirrorExchanges({ config: defaultCaptureConfig(), redactor: testRedactor });
  const memos = builder.memos();
  return batch.parts.map((p) => {
    const ex = builder.build(format, p, memos);
    const checked = httpExchangeSchema.safeParse(ex);
    if (!checked.success) throw new Error(`exchange does not match the schema: ${checked.error.message}`);
    return ex;
  });
}

/** The keyed hash the test redactor gives a header value. */
export const redacted = (name: string, value: string): string => testRedactor.redactHeader(name, value);
