// Redacted header values remembered per connection: a keep-alive connection repeats the same
// Authorization and Cookie on every request, and each redaction is an HMAC.
import type { Redactor } from '@sidetap/core';

/** Distinct secret values remembered per connection; the memo starts over beyond this. */
const MAX_REMEMBERED = 32;

export class RedactionMemo {
  // Parallel lists searched linearly: a connection holds a handful of secrets, and comparing a
  // value with the ones kept costs less than building and hashing a combined key.
  private readonly names: string[] = [];
  private readonly values: string[] = [];
  private readonly redacted: string[] = [];

  constructor(private readonly redactor: Redactor) {}

  isSecret(lowerName: string): boolean {
    return this.redactor.isSecretHeader(lowerName);
  }

  redact(lowerName: string, value: string): string {
    if (!this.redactor.isSecretHeader(lowerName)) return value;
    const { names, values } = this;
    for (let k = names.length - 1; k >= 0; k--) {
      if (names[k] === lowerName && values[k] === value) return this.redacted[k] as string;
    }
    const redacted = this.redactor.redactHeader(lowerName, value);
    if (names.length >= MAX_REMEMBERED) {
      names.length = 0;
      values.length = 0;
      this.redacted.length = 0;
    }
    names.push(lowerName);
    values.push(value);
    this.redacted.push(redacted);
    return redacted;
  }
}
