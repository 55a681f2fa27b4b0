import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

/**
 * Fields that may carry secrets or personal data. Handlers log ids and counts, never these,
 * but redaction is the net under that rule: a careless `log.info({ update })` still leaks nothing.
 */
const PERSONAL_FIELDS = ['text', 'caption', 'phone_number', 'contact_phone', 'phone', 'description', 'first_name', 'last_name', 'username'];
const SECRET_FIELDS = ['token', 'secret', 'authorization', '"x-telegram-bot-api-secret-token"'];

/** `field`, `*.field`, `*.*.field`, `*.*.*.field`: deep enough for a whole Telegram update. */
function atAnyDepth(field: string, depth = 3): string[] {
  return Array.from({ length: depth + 1 }, (_, i) => `${'*.'.repeat(i)}${field}`);
}

export const REDACTED_PATHS = [...PERSONAL_FIELDS, ...SECRET_FIELDS].flatMap((field) => atAnyDepth(field));

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where lines go; stdout when omitted. Tests pass a stream to read every line. */
  readonly destination?: DestinationStream;
  /** Strings that must never appear in a line (the bot token, secrets), whatever field holds them. */
  readonly secrets?: readonly (string | undefined)[];
}

/** One JSON line per event, as the Vercel log viewer indexes them. */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6);
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Error messages and URLs can embed a token (e.g. a Bot API URL); scrub them last.
      ...(secrets.length > 0 && {
        hooks: { streamWrite: (line: string) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), line) },
      }),
    },
    options.destination ?? pino.destination({ sync: true }),
  );
}
