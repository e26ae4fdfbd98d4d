// Copies of strings that share no memory with their source. V8 keeps substrings of 13 or more
// characters and concatenations as views of the strings they came from, so a cached slice of a
// 64 KiB User-Agent, or of a whole request head, would keep all of it alive (measured: 64 KiB
// per cache entry); whatever a cache keeps is copied first.

export function ownString(value: string): string {
  // UTF-16 code units round-trip exactly, lone surrogates included.
  return Buffer.from(value, 'utf16le').toString('utf16le');
}
