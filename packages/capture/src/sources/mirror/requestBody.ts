// Reading a sender's body under the listener's size limit, counted as sent and again after gunzip.
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';

/** The body, or undefined once it passes `limit` bytes (reading stops there). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('the sender closed the connection mid-body'));
    });
  });
}

export type Gunzipped = { kind: 'ok'; body: Buffer } | { kind: 'too_large' } | { kind: 'bad'; reason: string };

/** gunzip that stops at `limit` output bytes (a gzip bomb costs no more memory than a plain body). */
export function gunzipBounded(body: Buffer, limit: number): Promise<Gunzipped> {
  return new Promise((resolve) => {
    gunzip(body, { maxOutputLength: limit }, (err, out) => {
      if (err === null) resolve({ kind: 'ok', body: out });
      else if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') resolve({ kind: 'too_large' });
      else resolve({ kind: 'bad', reason: err.message });
    });
  });
}
