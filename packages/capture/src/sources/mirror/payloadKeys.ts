// Keys (hashed into event.id) for records that carry no id of their own: the payload's digest and
// the record's place in it, so a sender retrying the same payload gets the same ids (the index
// overwrites instead of duplicating) while nothing a client sends can make two records collide.
import { createHash } from 'node:crypto';

export class PayloadKeys {
  private digest: string | undefined = undefined;

  constructor(
    private readonly format: string,
    private readonly payload: Uint8Array,
  ) {}

  at(index: number): string {
    this.digest ??= createHash('sha256').update(this.payload).digest('hex').slice(0, 32);
    return `${this.format}:${this.digest}:${index}`;
  }
}
