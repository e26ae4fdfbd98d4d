// The process log: pino JSON lines on stderr (stdout carries sidetap's data), one child per stage,
// with secret-looking fields censored in case a credential ever reaches a log call.
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { z } from 'zod';
import { prettyLogStream } from './prettyLogStream';
import { DEFAULT_SECRET_HEADERS } from './redaction';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const loggingConfigSchema = z
  .object({
    level: z.enum(LOG_LEVELS).default('info').describe('Least severe log level written to stderr; silent writes nothing.'),
  })
  .strict();

export type LoggingConfig = z.output<typeof loggingConfigSchema>;

export interface LoggerOptions {
  level: LogLevel;
  /** One readable line per record instead of JSON, for a person at a terminal. */
  pretty?: boolean | undefined;
  /** Where lines go; stderr by default. */
  destination?: DestinationStream | undefined;
}

const SECRET_FIELDS = ['authorization', 'cookie', 'password', 'passwd', 'secret', 'token', 'apiKey', 'api_key'];

// fast-redact matches fixed depths only, so each name is listed at the depths log calls use:
// `{ authorization }`, `{ req: { authorization } }`, `{ headers }`, `{ http: { request: { headers } } }`.
export const LOG_REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]),
  ...DEFAULT_SECRET_HEADERS.flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`, `*.*.headers["${h}"]`]),
];

export const REDACTED = '[redacted]';

export function createLogger(options: LoggerOptions): Logger {
  // Synchronous: a command that exits right after logging an error must not lose the line.
  const sink = options.destination ?? pino.destination({ dest: 2, sync: true });
  return pino(
    { level: options.level, redact: { paths: [...LOG_REDACT_PATHS], censor: REDACTED } },
    options.pretty === true ? prettyLogStream(sink) : sink,
  );
}

/** The logger a stage writes through: every line carries `stage`. */
export function stageLogger(root: Logger, stage: string): Logger {
  return root.child({ stage });
}
