import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.js';
import { sendJson } from '../http/json.js';
import { authorizeBearer } from '../http/secrets.js';
import { appOrUnavailable, type EndpointDeps } from './endpoint-deps.js';

export interface CronJob {
  /** The work of one run; its report is the answer. */
  run(app: App): Promise<object>;
  /** Logged (with the error) and answered with 503 when a run fails: the next run resumes. */
  readonly failure: { readonly log: string; readonly answer: string };
}

/**
 * A cron endpoint (`Authorization: Bearer $CRON_SECRET`): Vercel Cron calls it with GET, an
 * Upstash QStash schedule (every minute on any plan) POSTs by default. The jobs are safe to run
 * twice at once and again after a failure, so a retry is always allowed (503 with Retry-After).
 */
export function createCronEndpoint(deps: EndpointDeps, job: CronJob) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed: use GET or POST' }, { allow: 'GET, POST' });
    const app = await appOrUnavailable(deps, res);
    if (!app) return;
    if (!authorizeBearer(req, res, { secret: app.config.cronSecret, variable: 'CRON_SECRET', logger: app.logger })) return;
    // A POST's body (QStash sends one, possibly empty) is not needed: drained so the connection can be reused.
    req.resume();
    try {
      sendJson(res, 200, await job.run(app));
    } catch (error) {
      app.logger.error({ err: error }, job.failure.log);
      sendJson(res, 503, { error: job.failure.answer }, { 'retry-after': '60' });
    }
  };
}
