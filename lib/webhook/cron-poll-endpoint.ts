import { createCronEndpoint } from './cron-endpoint.js';
import type { EndpointDeps } from './endpoint-deps.js';

/**
 * `GET|POST /api/cron/poll`: for a backend that pushes nothing (BACKEND_KIND=redmine), tells people
 * what changed since the last run and answers `{issues, delivered, deferred, more, watermark}`
 * (`busy` when another run holds the lock). `{polled: false}` with another backend (it calls
 * /api/notify itself); 503 when Redmine or the store fails: the watermark stays, the next run resumes.
 */
export function createCronPollEndpoint(deps: EndpointDeps) {
  return createCronEndpoint(deps, {
    // The daily cron of vercel.json runs with every backend: nothing to do is not a failure.
    run: async (app) => (await app.pollBackend()) ?? { polled: false, reason: 'this backend calls /api/notify itself (BACKEND_KIND=rest)' },
    failure: { log: '[redmine] the poll failed; the watermark stays for the next run', answer: 'the poll failed, retry later' },
  });
}
