// How a hit is shown: enough to recognise it (issuer digits, a key's prefix, the last few
// characters), never enough to use it. Masked forms are the only text of a value that leaves the
// scanner.

/** 4111 **** **** 1111: first four and last four digits at most. */
export function maskCard(digits: string): string {
  return `${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`;
}

export function maskSsn(digits: string): string {
  return `***-**-${digits.slice(-4)}`;
}

export function maskIban(compact: string): string {
  return `${compact.slice(0, 4)} **** ${compact.slice(-4)}`;
}

/** AKIA****XYZ1, ghp_****abcd, sk_live_****abcd: the public prefix and the last four characters. */
export function maskKey(value: string, prefixLength: number): string {
  const prefix = value.slice(0, Math.min(prefixLength, Math.max(0, value.length - 8)));
  return `${prefix}****${value.slice(-4)}`;
}

/** eyJhbGciOi...(len 812): the start of the header, which only names the algorithm. */
export function maskJwt(token: string): string {
  return `${token.slice(0, 10)}...(len ${token.length})`;
}

/** j***@example.com */
export function maskEmail(local: string, domain: string): string {
  return `${local.slice(0, 1)}***@${domain}`;
}

export function maskPhone(digits: string): string {
  return `***${digits.slice(-2)}`;
}
