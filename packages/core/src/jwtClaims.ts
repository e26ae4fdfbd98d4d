// The parts of a JWT that describe it without being secret: its header's alg and its time claims.
// Decoded, never verified: the sessionizer notes `alg: none` and expiry as facts on the event.

export interface JwtFacts {
  alg?: string;
  /** Seconds since the epoch, as in the token. */
  exp?: number;
  nbf?: number;
  iat?: number;
}

export function jwtFacts(token: string): JwtFacts | undefined {
  const dot1 = token.indexOf('.');
  const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
  if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) return undefined;
  const header = decodeObject(token.slice(0, dot1));
  const claims = decodeObject(token.slice(dot1 + 1, dot2));
  if (header === undefined && claims === undefined) return undefined;
  const out: JwtFacts = {};
  const alg = header?.['alg'];
  if (typeof alg === 'string') out.alg = alg.slice(0, 32);
  for (const name of ['exp', 'nbf', 'iat'] as const) {
    const v = claims?.[name];
    if (typeof v === 'number' && Number.isFinite(v)) out[name] = v;
  }
  return out;
}

function decodeObject(part: string): Record<string, unknown> | undefined {
  // A header or claims set is small; a huge part is not a token worth parsing.
  if (part.length === 0 || part.length > 8192) return undefined;
  const text = Buffer.from(part, 'base64url').toString('utf8').trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
