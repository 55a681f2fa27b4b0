import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/json.js';
import { appOrUnavailable, type EndpointDeps } from './endpoint-deps.js';
import { authorizeBearer } from '../http/secrets.js';
import { formatSummaryLine, readMetricsSummary } from '../metrics/metrics-report.js';

/**
 * `GET /api/cron/report`, run daily by Vercel Cron: the seed's periodic "Bot performance
 * metrics" log line, over the last 24 h of every instance, also sent to the admins.
 */
export function createCronReportEndpoint(deps: EndpointDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed: use GET' }, { allow: 'GET' });
    const app = await appOrUnavailable(deps, res);
    if (!app) return;
    if (!authorizeBearer(req, res, { secret: app.config.cronSecret, variable: 'CRON_SECRET', logger: app.logger })) return;

    await app.deps.metrics.flush();
    const summary = await readMetricsSummary({ store: app.deps.store, hours: 24 });
    const line = formatSummaryLine(summary);
    app.logger.info({ report: summary }, line);
    let sent = 0;
    for (const adminId of app.config.adminUserIds) {
      // eslint-disable-next-line serverless/await-in-loop -- a handful of admins, sent one by one to respect Telegram's rate limits
      const delivered = await app.bot.telegram.sendMessage(adminId, line).then(() => true, (error: unknown) => {
        app.logger.warn({ err: error, admin_id: adminId }, 'report not delivered to an admin');
        return false;
      });
      if (delivered) sent += 1;
    }
    sendJson(res, 200, { ok: true, summary, sent });
  };
}
