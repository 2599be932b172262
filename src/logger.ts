import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Where JSON lines go; default stderr (fd 2), so stdout stays free for the console chat. */
  destination?: DestinationStream;
  /** Strings (e.g. the bot token) replaced by `[redacted]` anywhere in a log line. */
  secrets?: readonly (string | undefined)[];
  /**
   * Readable lines instead of JSON (`warn: watching the sources stopped working (path: seeds)`), for the
   * console chat, where a person reads stderr; JSON lines are for the bot's log collectors. Default false.
   */
  human?: boolean;
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
  const sink = options.destination ?? pino.destination({ dest: 2, sync: true });
  const destination = options.human === true ? { write: (line: string) => sink.write(humanLogLine(line)) } : sink;
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

/** One JSON log line as a line a person reads: level (when not info), message, then the details. */
export function humanLogLine(jsonLine: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine;
  }
  const { level, time: _time, msg, ...details } = entry;
  const label = typeof level === 'number' ? (pino.levels.labels[level] ?? String(level)) : String(level);
  const shown = Object.entries(details).map(([key, value]) => `${key}: ${detailText(value)}`);
  const prefix = label === 'info' ? '' : `${label}: `;
  return `${prefix}${String(msg ?? '')}${shown.length > 0 ? ` (${shown.join(', ')})` : ''}\n`;
}

function detailText(value: unknown): string {
  if (typeof value === 'string') return value;
  // pino serialises errors as { type, message, stack }: the message is what a person needs.
  if (value !== null && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
    return (value as { message: string }).message;
  }
  return JSON.stringify(value);
}
