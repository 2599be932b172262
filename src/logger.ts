import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Where JSON lines go; default stderr (fd 2), so stdout stays free for the console chat. */
  destination?: DestinationStream;
  /** Strings (e.g. the bot token) replaced by `[redacted]` anywhere in a log line. */
  secrets?: readonly (string | undefined)[];
}

/** Paths whose values never reach the log. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'discordToken',
  '*.discordToken',
  'config.discordToken',
  'authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.Authorization',
  '*.headers.Authorization',
];

const REDACTED = '[redacted]';

export function createLogger(level: LogLevel | string = 'info', options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 8);
  const destination = options.destination ?? pino.destination({ dest: 2, sync: true });
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks:
        secrets.length === 0
          ? {}
          : {
              streamWrite: (line: string) => secrets.reduce((out, secret) => out.split(secret).join(REDACTED), line),
            },
    },
    destination,
  );
}
