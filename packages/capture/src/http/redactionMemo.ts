// Redacted header values remembered per connection: a keep-alive connection repeats the same
// Authorization and Cookie on every request, and each redaction is an HMAC.
import type { Redactor } from '@sidetap/core';

/** Distinct secret values remembered per connection; the memo starts over beyond this. */
const MAX_REMEMBERED = 32;

export class RedactionMemo {
  private readonly seen = new Map<string, string>();

  constructor(private readonly redactor: Redactor) {}

  isSecret(lowerName: string): boolean {
    return this.redactor.isSecretHeader(lowerName);
  }

  redact(lowerName: string, value: string): string {
    if (!this.redactor.isSecretHeader(lowerName)) return value;
    const key = `${lowerName}\n${value}`;
    const known = this.seen.get(key);
    if (known !== undefined) return known;
    const redacted = this.redactor.redactHeader(lowerName, value);
    if (this.seen.size >= MAX_REMEMBERED) this.seen.clear();
    this.seen.set(key, redacted);
    return redacted;
  }
}
