// The `actor` config section: which credentials name an actor, and how bearer JWTs are verified.
import { z } from 'zod';
import { DEFAULT_API_KEY_HEADERS, DEFAULT_SESSION_COOKIES } from './actorKey';
import type { ActorKeyOptions } from './actorKey';
import { JWT_ALGORITHMS } from './jwtAlgorithm';
import { createJwtVerifier } from './jwtVerifier';
import type { Redactor } from './redaction';

// Header and cookie names are compared lower-case; folding them here keeps actorKey from doing it per request.
const lowerName = () => z.string().trim().toLowerCase().min(1);

export const jwtConfigSchema = z
  .object({
    keyFile: z
      .string()
      .min(1)
      .optional()
      .describe('PEM public key (RSA, EC P-256, Ed25519) or HMAC secret file that bearer JWT signatures are verified with; without it or jwksFile, subjects are decoded but not verified.'),
    jwksFile: z.string().min(1).optional().describe('JWKS JSON file of verification keys; a token\'s kid selects among them.'),
    algorithms: z
      .array(z.enum(JWT_ALGORITHMS))
      .min(1)
      .default([...JWT_ALGORITHMS])
      .describe('Signature algorithms accepted; a token with any other alg, "none" included, is invalid.'),
    issuer: z.string().min(1).optional().describe('When set, a token must carry this iss to be verified.'),
    audience: z.string().min(1).optional().describe('When set, a token\'s aud must be or include this to be verified.'),
    cacheSize: z.number().int().min(0).default(4096).describe('Tokens whose verdict is remembered, so a repeated token is not verified again; 0 turns the cache off.'),
  })
  .strict();

export const actorConfigSchema = z
  .object({
    identityHeaders: z
      .array(lowerName())
      .default([])
      .describe('Request headers a gateway sets to the authenticated user (such as x-user-id); when present they name the actor (kind header) before any credential. Only list headers your gateway overwrites on every request.'),
    apiKeyHeaders: z
      .array(lowerName())
      .default([...DEFAULT_API_KEY_HEADERS])
      .describe('Request headers whose value identifies the caller as an API key (keyed-hashed, never stored), tried after Authorization.'),
    sessionCookies: z
      .array(lowerName())
      .default([...DEFAULT_SESSION_COOKIES])
      .describe('Cookie names (any case) whose value identifies a session (keyed-hashed), tried after the API-key headers.'),
    jwt: jwtConfigSchema.prefault({}).describe('Verification of bearer JWTs, so a forged subject is never taken as the actor.'),
  })
  .strict();

export type ActorConfig = z.output<typeof actorConfigSchema>;
export type JwtConfig = z.output<typeof jwtConfigSchema>;

/** actorKey's options for this config, loading the JWT keys (ConfigError on a bad file) when any is configured. */
export function createActorKeyOptions(config: ActorConfig, redactor: Redactor, optionPath = 'actor'): ActorKeyOptions {
  const { jwt } = config;
  const verify = jwt.keyFile !== undefined || jwt.jwksFile !== undefined;
  return {
    redactor,
    identityHeaders: config.identityHeaders,
    apiKeyHeaders: config.apiKeyHeaders,
    sessionCookies: config.sessionCookies,
    jwtVerifier: verify ? createJwtVerifier(jwt, `${optionPath}.jwt`) : undefined,
  };
}
