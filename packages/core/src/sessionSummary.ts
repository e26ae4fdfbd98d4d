// The SessionSummary contract: one record per closed session of one timeline (a user, or an actor
// when no user is known), emitted by the sessionizer when the session ends.
import { z } from 'zod';
import { ACTOR_KINDS, userSchema } from './event';
import { httpExchangeSchema } from './httpExchange';

const list = (what: string) => z.array(z.string()).describe(`${what}, in order first seen; at most the configured cap are kept.`);

export const SESSION_CLOSE_REASONS = ['inactivity', 'max_length', 'end_of_stream', 'evicted'] as const;

export const sessionSummarySchema = z
  .object({
    '@timestamp': z.iso.datetime().describe('Start of the session: the time of its first request, ISO 8601 UTC.'),
    event: z
      .object({
        id: z.string().describe('Session id (the same as sidetap.session.id on its events).'),
        kind: z.literal('event').describe('ECS event kind.'),
        dataset: z.literal('sidetap.session').describe('ECS dataset of session summaries.'),
        start: z.iso.datetime().describe('Time of the first request.'),
        end: z.iso.datetime().describe('Time of the last request.'),
        duration: z.number().int().nonnegative().describe('Nanoseconds from the first request to the last.'),
      })
      .describe('ECS event fields.'),
    user: userSchema.optional(),
    sidetap: z
      .object({
        actor_key: httpExchangeSchema.shape.sidetap.shape.actor_key,
        actor: z
          .object({ kind: z.enum(ACTOR_KINDS).describe('Kind of the first actor of the session.'), id: z.string().describe('Its identity.') })
          .describe('The actor that opened the session.'),
        session: z
          .object({
            id: z.string().describe('Session id.'),
            timeline: z.string().describe('Timeline the session belongs to: user:<name> when a login or refresh tied the credentials to a user, else the actor key.'),
            requests: z.number().int().min(1).describe('Requests in the session.'),
            endpoints: z.number().int().nonnegative().describe('Distinct endpoint templates called (exact up to the cap of endpoint_list, a lower bound beyond).'),
            endpoint_list: list('Endpoint templates called'),
            client_ips: list('Client addresses'),
            countries: list('Countries of the client addresses (ISO codes)'),
            devices: list('Device fingerprint ids'),
            actors: list('Actor keys (credentials) used'),
            bytes_sent: z.number().int().nonnegative().describe('Request bytes on the wire.'),
            bytes_received: z.number().int().nonnegative().describe('Response bytes on the wire.'),
            errors: z.number().int().nonnegative().describe('Responses with status 400 or above.'),
            error_ratio: z.number().min(0).max(1).describe('errors / requests.'),
            closed_by: z.enum(SESSION_CLOSE_REASONS).describe('Why the session ended: inactivity, its maximum length, the end of the input, or eviction under the state limits.'),
          })
          .describe('What the session did.'),
      })
      .describe('sidetap fields.'),
  })
  .describe('One session of one timeline, summarised when it closes.');

export type SessionSummary = z.infer<typeof sessionSummarySchema>;
export type SessionCloseReason = (typeof SESSION_CLOSE_REASONS)[number];
