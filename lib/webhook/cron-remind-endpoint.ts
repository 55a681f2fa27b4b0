import { createCronEndpoint } from './cron-endpoint.js';
import type { EndpointDeps } from './endpoint-deps.js';

/**
 * `GET|POST /api/cron/remind`: sends the reminders that are due and answers what it did,
 * `{reminded, dropped, retried, more}`. Running it twice at once, or again after a failure, sends
 * no reminder twice. 503 when the store cannot be read: the reminders stay due for the next run.
 */
export function createCronRemindEndpoint(deps: EndpointDeps) {
  return createCronEndpoint(deps, {
    run: (app) => app.drainReminders(),
    failure: { log: '[store] reminders could not be drained; they stay due for the next run', answer: 'reminders could not be drained now, retry later' },
  });
}
