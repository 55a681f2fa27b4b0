import type { RequestDetails } from '../../backend/schemas.js';
import { loadOwnedRequest } from '../../requests/owned-request.js';
import { failure, type AppAnswer, type AppCall, type MiniAppDeps } from '../deps.js';

/** Request ids as backends make them; anything else is refused before the backend is asked. */
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * The person's own request by the id in the path, with the chat's loader; 404 for one that does not
 * exist or is someone else's (told apart by nobody), 503 when the backend does not answer.
 */
export async function ownedOr(deps: Pick<MiniAppDeps, 'services'>, call: AppCall, handler: string): Promise<RequestDetails | AppAnswer> {
  const requestId = call.params[0] ?? '';
  if (!REQUEST_ID.test(requestId)) return failure(404, 'not_found', 'no such request');
  const owned = await loadOwnedRequest({ backend: deps.services.backend, log: call.log, handler, language: call.lang }, call.user.id, requestId);
  if (owned.kind === 'owned') return owned.details;
  return owned.kind === 'not-found' ? failure(404, 'not_found', 'no such request') : failure(503, 'backend_unavailable', 'the request cannot be loaded right now, retry later');
}

export function isAnswer(value: RequestDetails | AppAnswer): value is AppAnswer {
  return 'status' in value && typeof value.status === 'number' && 'body' in value;
}
