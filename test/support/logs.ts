// A real pino logger whose lines the test can read: raw (as they would reach Vercel) and parsed.
import { createLogger, type Logger } from '../../lib/logger.js';

export interface CapturedLogs {
  readonly logger: Logger;
  /** Every line, parsed, in order. */
  readonly lines: Record<string, unknown>[];
  /** Every line as written. */
  readonly raw: string[];
}

export function capturingLogger(options: { readonly secrets?: string[] } = {}): CapturedLogs {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = createLogger({
    level: 'debug',
    secrets: options.secrets,
    destination: {
      write: (line: string) => {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  });
  return { logger, lines, raw };
}
