// The mirror token a sender presents, compared in constant time: both sides are hashed first, so
// neither the comparison's length nor its time says anything about the token.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export class SenderToken {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token);
  }

  /** Whether `req` presents the token: in X-Sidetap-Token only (`headerOnly`), or also as Authorization: Bearer. */
  presentedBy(req: IncomingMessage, headerOnly: boolean): boolean {
    const presented = headerOnly ? headerOnce(req, TOKEN_HEADER) : (bearer(req) ?? headerOnce(req, TOKEN_HEADER));
    return presented !== undefined && timingSafeEqual(digest(presented), this.expected);
  }
}

/** The header carrying the token where Authorization belongs to someone else (NGINX mirrors). */
export const TOKEN_HEADER = 'x-sidetap-token';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function headerOnce(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function bearer(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth === undefined) return undefined;
  const m = /^Bearer +(\S+) *$/i.exec(auth);
  return m === null ? undefined : m[1];
}
