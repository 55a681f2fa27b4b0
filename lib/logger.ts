import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

/**
 * Fields that may carry secrets or personal data. Handlers log ids and counts, never these,
 * but redaction is the net under that rule: a careless `log.info({ update })` still leaks nothing.
 */
const PERSONAL_FIELDS = [
  'text',
  'caption',
  'phone_number',
  'contact_phone',
  'phone',
  'description',
  'first_name',
  'last_name',
  'username',
  // A file's name can be a person's ("Ivanova passport scan.pdf"): Telegram's, ours, and multipart's spellings.
  'file_name',
  'fileName',
  'filename',
];
const SECRET_FIELDS = ['token', 'secret', 'authorization', '"x-telegram-bot-api-secret-token"'];

/** `field`, `*.field`, `*.*.field`, `*.*.*.field`: deep enough for a whole Telegram update. */
function atAnyDepth(field: string, depth = 3): string[] {
  return Array.from({ length: depth + 1 }, (_, i) => `${'*.'.repeat(i)}${field}`);
}

export const REDACTED_PATHS = [...PERSONAL_FIELDS, ...SECRET_FIELDS].flatMap((field) => atAnyDepth(field));

/** The Bot API's refusal, as Telegraf throws it: `response` from Telegram, `on` the call (method and payload). */
interface TelegramErrorLike {
  readonly response: { readonly error_code: number; readonly description: string; readonly parameters?: { readonly retry_after?: unknown } };
  readonly on?: { readonly method?: unknown };
}

function isTelegramError(value: unknown): value is Error & TelegramErrorLike {
  if (!(value instanceof Error)) return false;
  const response = (value as Partial<TelegramErrorLike>).response;
  return typeof response?.error_code === 'number' && typeof response.description === 'string';
}

/**
 * `err` as a log line holds it. A Telegram error is its method, code and description (as `message`),
 * and a 429's retry_after, only: its
 * payload carries what was sent (a person's text, an agent's file name, the upload stream's
 * internals). Any other error is pino's usual shape, with Telegram errors inside it cut the same way.
 * Duck-typed, so that the logger does not load Telegraf (the files function never does).
 */
export function serializeError(err: unknown): unknown {
  if (isTelegramError(err)) {
    const method = typeof err.on?.method === 'string' ? err.on.method : undefined;
    // Telegram's description as pino's `message`: a field named `description` is redacted (people write descriptions).
    const retryAfter = err.response.parameters?.retry_after;
    return {
      type: 'TelegramError',
      method,
      code: err.response.error_code,
      message: err.response.description,
      // Telegram's own parameter of a 429, not part of what was sent: how long it asked the bot to wait.
      ...(typeof retryAfter === 'number' && { retry_after: retryAfter }),
    };
  }
  const out = pino.stdSerializers.err(err as Error) as unknown;
  if (out === err || typeof out !== 'object' || out === null) return out;
  const fields = out as Record<string, unknown>;
  // pino copies an error's own fields; those holding errors get the same treatment (its causes are folded into message and stack).
  for (const [key, value] of Object.entries(err as object)) {
    if (key !== 'cause' && value instanceof Error) fields[key] = serializeError(value);
  }
  const errors = (err as { errors?: unknown }).errors;
  if (Array.isArray(errors)) fields.aggregateErrors = errors.map(serializeError);
  return fields;
}

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where lines go; stdout when omitted. Tests pass a stream to read every line. */
  readonly destination?: DestinationStream;
  /** Strings that must never appear in a line (the bot token, secrets), whatever field holds them. */
  readonly secrets?: readonly (string | undefined)[];
}

/** One JSON line per event, as the Vercel log viewer indexes them. */
export function createLogger(options: LoggerOptions): Logger {
  // Every configured secret, however short: the ones the backend holds cannot be short any more,
  // and a short key elsewhere is scrubbed anyway (a mangled word beats a leaked key). Longest first,
  // so a secret that contains another is removed whole.
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s !== '').sort((a, b) => b.length - a.length);
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
      // Error messages and URLs can embed a token (e.g. a Bot API URL); scrub them last.
      ...(secrets.length > 0 && {
        hooks: { streamWrite: (line: string) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), line) },
      }),
    },
    options.destination ?? pino.destination({ sync: true }),
  );
}
