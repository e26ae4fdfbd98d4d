// The JWS algorithms sidetap verifies and the kind of key each needs. "none" is deliberately not
// one of them, so no configuration can accept an unsigned token.
export const JWT_ALGORITHMS = ['RS256', 'ES256', 'HS256', 'PS256', 'EdDSA'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** What a key can verify. */
export type KeyFamily = 'rsa' | 'rsa-pss' | 'ec-p256' | 'eddsa' | 'hmac';

/** Whether a key of `family` may verify `alg`; an RSA-PSS key is bound to PSS, so never RS256. */
export function algorithmFits(alg: JwtAlgorithm, family: KeyFamily): boolean {
  switch (alg) {
    case 'RS256':
      return family === 'rsa';
    case 'PS256':
      return family === 'rsa' || family === 'rsa-pss';
    case 'ES256':
      return family === 'ec-p256';
    case 'HS256':
      return family === 'hmac';
    case 'EdDSA':
      return family === 'eddsa';
  }
}
