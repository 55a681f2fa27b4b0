import type { IncomingMessage, ServerResponse } from 'node:http';
import { TelegramError } from 'telegraf';
import * as v from 'valibot';
import { StatusNotificationSchema } from '../backend/schemas.js';
import { readJsonBody, sendJson } from '../http/json.js';
import { appOrUnavailable, type EndpointDeps } from './endpoint-deps.js';
import { authorizeBearer } from '../http/secrets.js';

const MAX_NOTIFICATION_BYTES = 16 * 1024;

/**
 * `POST /api/notify`: the backend reports a status change and the bot tells the person.
 * 200 when told (or when the person blocked the bot: retrying cannot help); 502 when Telegram
 * failed, so the backend retries later.
 */
export function createNotifyEndpoint(deps: EndpointDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed: use POST' }, { allow: 'POST' });
    const app = await appOrUnavailable(deps, res);
    if (!app) return;
    if (!authorizeBearer(req, res, { secret: app.config.notifySecret, variable: 'NOTIFY_SECRET', logger: app.logger })) return;

    const body = await readJsonBody(req, MAX_NOTIFICATION_BYTES);
    if (!body.ok) return sendJson(res, body.status, { error: body.error });
    const parsed = v.safeParse(StatusNotificationSchema, body.value);
    if (!parsed.success) {
      const fields = parsed.issues.map((issue) => v.getDotPath(issue) ?? 'body');
      return sendJson(res, 400, { error: 'invalid notification', fields: [...new Set(fields)] });
    }
    try {
      const result = await app.notify(parsed.output);
      return sendJson(res, 200, result);
    } catch (error) {
      app.logger.error({ err: error, request_id: parsed.output.request_id }, 'status notification failed');
      const status = error instanceof TelegramError ? 502 : 500;
      return sendJson(res, status, { error: 'notification not delivered, retry later' });
    }
  };
}
