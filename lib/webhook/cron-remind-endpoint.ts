import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/json.js';
import { authorizeBearer } from '../http/secrets.js';
import { appOrUnavailable, type EndpointDeps } from './endpoint-deps.js';

/**
 * `GET|POST /api/cron/remind` (`Authorization: Bearer $CRON_SECRET`): sends the reminders that are
 * due and answers what it did, `{reminded, dropped, retried, more}`. Vercel Cron calls it with GET;
 * an Upstash QStash schedule (every minute on any plan) POSTs by default. Running it twice at once,
 * or again after a failure, sends no reminder twice. 503 when the store cannot be read: the
 * reminders stay due for the next run.
 */
export function createCronRemindEndpoint(deps: EndpointDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed: use GET or POST' }, { allow: 'GET, POST' });
    const app = await appOrUnavailable(deps, res);
    if (!app) return;
    if (!authorizeBearer(req, res, { secret: app.config.cronSecret, variable: 'CRON_SECRET', logger: app.logger })) return;
    // A POST's body (QStash sends one, possibly empty) is not needed: drained so the connection can be reused.
    req.resume();
    try {
      sendJson(res, 200, await app.drainReminders());
    } catch (error) {
      app.logger.error({ err: error }, '[store] reminders could not be drained; they stay due for the next run');
      sendJson(res, 503, { error: 'reminders could not be drained now, retry later' }, { 'retry-after': '60' });
    }
  };
}
