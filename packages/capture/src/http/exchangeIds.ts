// Event ids of a connection's exchanges: deterministic and unique, derived from one hash of the
// connection id rather than one hash per exchange.
import { createHash } from 'node:crypto';

/** Exchange indexes that fit the 8 hex digits after the connection's 16. */
const MAX_SHORT_INDEX = 0xffffffff;

export class ExchangeIds {
  private prefix: string | undefined = undefined;

  constructor(private readonly connectionId: string) {}

  /** 24 hex characters: 64 bits of SHA-256 of the connection id, then the exchange index. */
  id(index: number): string {
    if (index > MAX_SHORT_INDEX || index < 0 || !Number.isInteger(index)) {
      // Never reached in practice; a hash of both keeps such ids unique all the same.
      return createHash('sha256').update(`${this.connectionId}#${index}`).digest('hex').slice(0, 24);
    }
    this.prefix ??= createHash('sha256').update(this.connectionId).digest('hex').slice(0, 16);
    const hex = index.toString(16);
    return this.prefix + '00000000'.slice(hex.length) + hex;
  }
}
