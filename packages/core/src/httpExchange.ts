// The HttpExchange contract (DESIGN.md §2): one request with its response, in ECS field names.
// `.meta({ esType })` only tells the index mapping what a string holds; it never changes parsing.
import { z } from 'zod';
import { CAPTURE_FLAG_NAMES } from './captureFlags';
import { CAPTURE_SOURCES } from './captureSource';

const headers = z
  .record(z.string(), z.string())
  .describe(
    'Header fields in the order first seen, names lower-cased; repeated fields are joined with ", ". Secret values are replaced by keyed hashes.',
  );

const body = z
  .object({
    bytes: z
      .number()
      .int()
      .nonnegative()
      .describe('True size of the body in bytes after transfer decoding (de-chunked), before content decoding.'),
    content: z
      .string()
      .meta({ esType: 'text' })
      .optional()
      .describe('Sample of the body after content decoding (gzip, deflate, br), up to the configured cap; bytes outside UTF-8 are replaced.'),
  })
  .describe('Message body size and sample.');

export const httpExchangeSchema = z
  .object({
    '@timestamp': z.string().meta({ esType: 'date' }).describe('Time the request started (first byte seen), ISO 8601 with milliseconds, UTC.'),
    event: z
      .object({
        id: z.string().describe('Deterministic exchange id: the same bytes in the same flow give the same id on every replay.'),
        kind: z.literal('event').describe('ECS event kind.'),
        category: z.array(z.literal('network')).describe('ECS event category.'),
        type: z.array(z.enum(['connection', 'protocol'])).describe('ECS event type.'),
        dataset: z.literal('sidetap.exchange').describe('ECS dataset of exchange records.'),
        duration: z
          .number()
          .int()
          .nonnegative()
          .optional()
          .describe('Nanoseconds from the first byte of the request to the last byte of the response.'),
      })
      .describe('ECS event fields.'),
    source: z
      .object({
        ip: z.string().meta({ esType: 'ip' }).describe('Client IP address.'),
        port: z.number().int().min(0).max(65535).describe('Client TCP port.'),
        bytes: z.number().int().nonnegative().optional().describe('Bytes of the request on the wire (head and body).'),
      })
      .describe('The client side of the connection.'),
    destination: z
      .object({
        ip: z.string().meta({ esType: 'ip' }).describe('Server IP address.'),
        port: z.number().int().min(0).max(65535).describe('Server TCP port.'),
        bytes: z.number().int().nonnegative().optional().describe('Bytes of the response on the wire (head and body).'),
      })
      .describe('The server side of the connection.'),
    network: z
      .object({
        transport: z.literal('tcp').describe('Transport protocol.'),
        type: z.enum(['ipv4', 'ipv6']).describe('IP version.'),
        protocol: z.literal('http').describe('Application protocol.'),
        community_id: z.string().optional().describe('Community ID flow hash (v1), shared with Zeek and Suricata records of the same flow.'),
      })
      .describe('ECS network fields.'),
    http: z
      .object({
        version: z.string().describe('HTTP version of the request, such as 1.1.'),
        request: z
          .object({
            method: z.string().describe('Request method as sent (case preserved).'),
            headers,
            body,
            mime_type: z.string().optional().describe('Media type from Content-Type, without parameters.'),
          })
          .describe('The request.'),
        response: z
          .object({
            status_code: z.number().int().describe('Final (non-1xx) status code.'),
            reason: z.string().optional().describe('Reason phrase of the status line.'),
            headers,
            body,
            mime_type: z.string().optional().describe('Media type from Content-Type, without parameters.'),
          })
          .optional()
          .describe('The response; absent when none was seen.'),
      })
      .describe('ECS HTTP fields.'),
    url: z
      .object({
        original: z.string().meta({ esType: 'text' }).describe('Request target as sent, with the query string.'),
        path: z.string().describe('Path part of the request target, not decoded.'),
        query: z.string().optional().describe('Query string without the leading "?", not decoded.'),
        domain: z.string().optional().describe('Host header without the port.'),
      })
      .describe('ECS URL fields.'),
    user_agent: z
      .object({ original: z.string().meta({ esType: 'text' }).describe('User-Agent header as sent.') })
      .optional()
      .describe('ECS user agent fields.'),
    sidetap: z
      .object({
        capture: z
          .object({
            source: z.enum(CAPTURE_SOURCES).describe('How the traffic reached sidetap.'),
            flags: z.array(z.enum(CAPTURE_FLAG_NAMES as [string, ...string[]])).describe('Named oddities of this exchange (see docs/capture-flags.md).'),
            vlan: z.array(z.number().int()).optional().describe('802.1Q VLAN ids, outermost first.'),
            vni: z.number().int().optional().describe('VXLAN or GENEVE virtual network id the traffic was encapsulated in.'),
            file: z.string().optional().describe('Capture file the exchange was read from.'),
          })
          .describe('How sidetap saw this exchange.'),
        actor_key: z.string().describe('Who made the request: kind and identity (see DESIGN.md §2), never a raw secret.'),
        credential: z
          .object({
            hash: z
              .string()
              .describe('Keyed hash of the credential (bearer token, API key, session cookie value): the same hash a redacted body or Set-Cookie shows for that value, so a login response can be tied to the requests that use what it issued.'),
            jwt: z
              .object({
                status: z.enum(['verified', 'unverified', 'invalid']).describe('verified: signed by a configured key; unverified: no key configured; invalid: failed verification.'),
                alg: z.string().optional().describe('alg of the token header, as sent.'),
                exp: z.number().optional().describe('exp claim, seconds since the epoch.'),
                nbf: z.number().optional().describe('nbf claim, seconds since the epoch.'),
                iat: z.number().optional().describe('iat claim, seconds since the epoch.'),
                invalid_reason: z.string().optional().describe('Why verification failed.'),
              })
              .optional()
              .describe('What the bearer JWT says about itself (header alg, time claims); no secret part.'),
          })
          .optional()
          .describe('The credential the actor was identified by; absent for Basic, identity-header and IP actors.'),
      })
      .describe('sidetap fields.'),
  })
  .describe('One HTTP request with its response.');

export type HttpExchange = z.infer<typeof httpExchangeSchema>;
