import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/json.js';
import { authorizeBearer } from '../http/secrets.js';
import { appOrUnavailable, type EndpointDeps } from './endpoint-deps.js';

/**
 * `GET|POST /api/cron/poll` (`Authorization: Bearer $CRON_SECRET`): for a backend that pushes
 * nothing (BACKEND_KIND=redmine), tells people what changed since the last run and answers
 * `{issues, delivered, deferred, more, watermark}` (`busy` when another run holds the lock).
 * `{polled: false}` with another backend (it calls /api/notify itself); 503 when Redmine or the store fails:
 * the watermark stays, the next run resumes.
 */
export function createCronPollEndpoint(deps: EndpointDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed: use GET or POST' }, { allow: 'GET, POST' });
    const app = await appOrUnavailable(deps, res);
    if (!app) return;
    if (!authorizeBearer(req, res, { secret: app.config.cronSecret, variable: 'CRON_SECRET', logger: app.logger })) return;
    req.resume();
    try {
      const report = await app.pollBackend();
      // The daily cron of vercel.json runs with every backend: nothing to do is not a failure.
      if (report === undefined) return sendJson(res, 200, { polled: false, reason: 'this backend calls /api/notify itself (BACKEND_KIND=rest)' });
      sendJson(res, 200, report);
    } catch (error) {
      app.logger.error({ err: error }, '[redmine] the poll failed; the watermark stays for the next run');
      sendJson(res, 503, { error: 'the poll failed, retry later' }, { 'retry-after': '60' });
    }
  };
}
