// Options of the sessionizer stage: sessions, identity linking, and the state limits.
import { z } from 'zod';
import { deviceConfigSchema } from './device';
import { endpointConfigSchema } from './endpoints';
import { geoConfigSchema } from './geo';

const MINUTE = 60_000;

export const DEFAULT_LOGIN_USER_FIELDS = ['username', 'user', 'user_name', 'userName', 'login', 'email', 'mail', 'account'];

export const sessionizerConfigSchema = z
  .object({
    sessionGapMs: z
      .number()
      .int()
      .min(1000)
      .default(30 * MINUTE)
      .describe('Inactivity (event time) after which the next request of a timeline starts a new session.'),
    sessionMaxMs: z
      .number()
      .int()
      .min(MINUTE)
      .default(12 * 60 * MINUTE)
      .describe('Longest a session runs; a request after this starts a new session even without a pause.'),
    maxOpenSessions: z
      .number()
      .int()
      .min(1)
      .default(100_000)
      .describe('Open sessions tracked for closing on inactivity; beyond it the least recently active is closed early (closed_by evicted, counted).'),
    stateTtlMs: z
      .number()
      .int()
      .min(MINUTE)
      .default(7 * 24 * 60 * MINUTE)
      .describe('How long (event time) a timeline, a token link or a device is remembered after it was last seen.'),
    loginUserFields: z
      .array(z.string().min(1))
      .default(DEFAULT_LOGIN_USER_FIELDS)
      .describe('Request body fields (JSON or form) that name the user logging in; the credentials the response issues join that user\'s timeline.'),
    summaryListMax: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(32)
      .describe('Entries kept in each list of a session summary (endpoints, addresses, countries, devices, credentials).'),
    endpoints: endpointConfigSchema.prefault({}).describe('Endpoint templates: from an OpenAPI spec, else learned from traffic.'),
    geo: geoConfigSchema.prefault({}).describe('Offline geo lookup of client addresses.'),
    device: deviceConfigSchema.prefault({}).describe('Device fingerprints from User-Agent, header order and Accept-Language.'),
  })
  .strict()
  .describe('Sessionizer: actors, sessions and timelines.');

export type SessionizerConfig = z.output<typeof sessionizerConfigSchema>;
