import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { sendJson } from './json.js';

/**
 * Compares a presented secret with the expected one in constant time. Hashing first gives
 * equal lengths, so neither the content nor the length of the secret leaks through timing.
 */
export function secretsEqual(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The token of `Authorization: Bearer <token>`, as Vercel crons and our backend send it. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '');
  return match?.[1]?.trim();
}

/**
 * Lets a request through only with `Authorization: Bearer <secret>`. While the secret is not
 * configured every call is refused (503) and an error line names the variable to set.
 * Returns false when it has already answered.
 */
export function authorizeBearer(
  req: IncomingMessage,
  res: ServerResponse,
  options: { readonly secret: string | undefined; readonly variable: string; readonly logger: Logger },
): boolean {
  if (options.secret === undefined) {
    options.logger.error(`${options.variable} is not set: ${req.url ?? 'this endpoint'} refuses every call until it is`);
    sendJson(res, 503, { error: 'endpoint is not configured' });
    return false;
  }
  if (!secretsEqual(bearerToken(req), options.secret)) {
    sendJson(res, 401, { error: 'unauthorized' });
    return false;
  }
  return true;
}
