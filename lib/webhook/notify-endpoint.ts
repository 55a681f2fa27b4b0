import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { NotificationEventSchema } from '../backend/schemas.js';
import { readJsonBody, sendJson } from '../http/json.js';
import type { NotifyOutcome } from '../notify/notify-outcome.js';
import { appOrUnavailable, type EndpointDeps } from './endpoint-deps.js';
import { authorizeBearer } from '../http/secrets.js';

const MAX_NOTIFICATION_BYTES = 16 * 1024;

/**
 * `POST /api/notify`: the backend reports an event (a status change) and the bot tells the person.
 *
 * 200 when told, when told before (the same `event_id`: `duplicate: true`) and when the person
 * blocked the bot (retrying cannot help); 422 when Telegram refused the message the bot built (the
 * bot's own error: logged, and the backend sees it rather than a silent "blocked"); 429 + Retry-After when Telegram's rate limit (or this
 * instance's pace) says later; 503 + Retry-After when Telegram failed, or the same event is being
 * sent right now. 503 rather than 409 for that last one: a backend that retries 503 needs nothing
 * new, and if the send in flight fails, the retry is what delivers the event.
 */
export function createNotifyEndpoint(deps: EndpointDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed: use POST' }, { allow: 'POST' });
    const app = await appOrUnavailable(deps, res);
    if (!app) return;
    if (!authorizeBearer(req, res, { secret: app.config.notifySecret, variable: 'NOTIFY_SECRET', logger: app.logger })) return;

    const body = await readJsonBody(req, MAX_NOTIFICATION_BYTES);
    if (!body.ok) return sendJson(res, body.status, { error: body.error });
    const parsed = v.safeParse(NotificationEventSchema, body.value);
    if (!parsed.success) {
      const fields = parsed.issues.map((issue) => v.getDotPath(issue) ?? 'body');
      return sendJson(res, 400, { error: 'invalid notification', fields: [...new Set(fields)] });
    }
    try {
      answer(res, await app.notify(parsed.output));
    } catch (error) {
      app.logger.error({ err: error, event_id: parsed.output.event_id, request_id: parsed.output.request_id }, 'notification failed');
      sendJson(res, 500, { error: 'notification not delivered, retry later' });
    }
  };
}

const RETRY_MESSAGES = {
  'rate-limited': 'Telegram rate limit: retry after the Retry-After seconds',
  unavailable: 'Telegram failed or is unreachable: retry after the Retry-After seconds',
  'in-flight': 'this event is being sent right now: retry after the Retry-After seconds',
} as const;

function answer(res: ServerResponse, outcome: NotifyOutcome): void {
  if (outcome.delivered || outcome.reason === 'blocked') return sendJson(res, 200, outcome);
  if (outcome.reason === 'rejected') {
    return sendJson(res, 422, { ...outcome, error: 'Telegram refused the message the bot built for this event: the bot\'s error, logged there; retrying this event will not help until the bot is fixed' });
  }
  const status = outcome.reason === 'rate-limited' ? 429 : 503;
  const retryAfter = String(outcome.retryAfterSeconds);
  sendJson(res, status, { error: RETRY_MESSAGES[outcome.reason], retry_after: outcome.retryAfterSeconds }, { 'retry-after': retryAfter });
}
