// The Event contract (DESIGN.md §2): an HttpExchange enriched by the sessionizer with who made it
// (actor, user), which visit it belongs to (session), what it called (endpoint template), from
// where (geo) and on what (device). Built on httpExchangeSchema so no exchange field is restated.
import { z } from 'zod';
import type { ActorKind } from './actorKey';
import { EVENT_FACT_NAMES } from './eventFacts';
import { httpExchangeSchema } from './httpExchange';

export const ACTOR_KINDS = ['header', 'jwt', 'api_key', 'cookie', 'basic', 'ip'] as const satisfies readonly ActorKind[];

// ActorKind lives in actorKey.ts; this fails to compile if a kind is added there and not here.
const everyActorKindListed: Exclude<ActorKind, (typeof ACTOR_KINDS)[number]> extends never ? true : never = true;
void everyActorKindListed;

export const userSchema = z
  .object({
    id: z.string().optional().describe('User id the API knows the caller by (a JWT subject, an account id).'),
    name: z.string().optional().describe('User name, when the credentials carry one (a Basic user name, a JWT preferred_username).'),
  })
  .describe('ECS user fields: the person or service behind the actor, when the credentials say.');

export const endpointSchema = z
  .string()
  .min(1)
  .describe('Endpoint template the request matched, ids replaced by named slots, such as /api/v1/accounts/{id}.');

const exchange = httpExchangeSchema.shape;

export const eventSchema = httpExchangeSchema
  .extend({
    // extend() replaces whole keys, so each nested object is extended in turn and re-described
    // (zod drops the description of an extended object).
    event: exchange.event
      .extend({ dataset: z.literal('sidetap.event').describe('ECS dataset of event records.') })
      .describe('ECS event fields.'),
    source: exchange.source
      .extend({
        geo: z
          .object({
            country_iso_code: z.string().optional().describe('ISO 3166-1 alpha-2 code of the country of the client IP.'),
            country_name: z.string().optional().describe('Country of the client IP, in English.'),
            region_name: z.string().optional().describe('Region (state, province) of the client IP.'),
            city_name: z.string().optional().describe('City of the client IP.'),
            location: z
              .object({
                lat: z.number().min(-90).max(90).describe('Latitude in degrees.'),
                lon: z.number().min(-180).max(180).describe('Longitude in degrees.'),
              })
              .meta({ esType: 'geo_point' })
              .optional()
              .describe('Approximate location of the client IP.'),
          })
          .optional()
          .describe('ECS geo fields of the client IP; absent when no geo database knows it.'),
      })
      .describe('The client side of the connection.'),
    user: userSchema.optional(),
    sidetap: exchange.sidetap
      .extend({
        actor: z
          .object({
            kind: z.enum(ACTOR_KINDS).describe('What identified the actor: a JWT, an API key, a session cookie, Basic credentials, a gateway identity header, or only the client IP.'),
            id: z.string().describe('Identity within its kind: a JWT subject or Basic user name, otherwise a keyed hash of the secret (never the secret), or the IP.'),
          })
          .describe('Who made the request: sidetap.actor_key split into its kind and identity.'),
        session: z
          .object({
            id: z.string().describe('Session id: one visit of one actor.'),
            seq: z.number().int().min(1).describe('Position of this request in its session, from 1.'),
            timeline: z
              .string()
              .describe('Timeline the request belongs to: user:<name> when a login or token refresh tied its credentials to a user, else the actor key.'),
          })
          .describe('The visit this request belongs to.'),
        endpoint: endpointSchema,
        device: z
          .object({
            id: z.string().describe('Device fingerprint id: a hash of the parsed User-Agent family, the request header names in order, and Accept-Language.'),
            browser: z.string().optional().describe('Browser or client library family parsed from the User-Agent, such as Chrome or curl.'),
            os: z.string().optional().describe('Operating system family parsed from the User-Agent.'),
            type: z.string().optional().describe('Device type parsed from the User-Agent: desktop, mobile, tablet, tv, bot, library (an HTTP client library or command-line tool), or unknown.'),
          })
          .optional()
          .describe('The client device; absent when the request carried nothing to fingerprint.'),
        geo: z
          .object({
            scope: z.enum(['public', 'internal']).describe('internal: a private, loopback, link-local or otherwise reserved address, which has no place on a map.'),
            confidence: z
              .enum(['high', 'low'])
              .optional()
              .describe('low: the database placed the address only at a country centroid, or the address is anycast.'),
          })
          .optional()
          .describe('What is known about where the client address is.'),
        login: z
          .object({
            user: z.string().optional().describe('User name the request logs in as (a body field such as username or email); absent when the body names none.'),
            outcome: z.enum(['success', 'failure']).describe('success: the response status is below 400; failure otherwise or when no response was seen.'),
          })
          .optional()
          .describe('Present when the request is a login attempt: its body names a user and carries a password-like secret.'),
        facts: z
          .array(z.enum(EVENT_FACT_NAMES))
          .optional()
          .describe('Named facts the sessionizer noted about credentials, identity and device (see docs/fields.md).'),
      })
      .describe('sidetap fields.'),
  })
  .describe('One HTTP exchange placed on its actor\'s timeline by the sessionizer.');

export type Event = z.infer<typeof eventSchema>;
