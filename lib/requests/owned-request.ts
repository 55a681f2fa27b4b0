import type { BackendClient } from '../backend/backend-client.js';
import { BackendError } from '../backend/backend-error.js';
import type { RequestDetails } from '../backend/schemas.js';
import type { Logger } from '../logger.js';

/** Requests listed when a backend does not name the owner: the ownership check looks this far back. */
const OWNERSHIP_LIST_LIMIT = 50;

export type OwnedRequest =
  | { readonly kind: 'owned'; readonly details: RequestDetails }
  /** No such request, or not this person's: told apart by nobody, so a forged id learns nothing. */
  | { readonly kind: 'not-found' }
  | { readonly kind: 'unavailable' };

export interface OwnedRequestDeps {
  readonly backend: Pick<BackendClient, 'getRequest' | 'listRequests'>;
  /** The caller's logger (an update's child logger in the chat, a request's in the Mini App). */
  readonly log: Logger;
  /** Who asks, for the refusal's log line. */
  readonly handler?: string;
  /** The person's language, for what the backend writes (status comments): `Accept-Language`. */
  readonly language?: string;
}

/**
 * The person's own request, for showing it or acting on it. Ids from buttons and from the Mini App
 * can be forged, so every use loads the request and checks its owner before it shows or changes
 * anything: by `telegram_user_id` when the backend names it, else against the person's own list.
 * The chat and the Mini App both call this one loader.
 */
export async function loadOwnedRequest(deps: OwnedRequestDeps, userId: number | undefined, requestId: string): Promise<OwnedRequest> {
  if (userId === undefined) return { kind: 'not-found' };
  try {
    const inLanguage = deps.language === undefined ? {} : { language: deps.language };
    const request = await deps.backend.getRequest(requestId, inLanguage);
    const owned =
      request.telegram_user_id !== undefined
        ? request.telegram_user_id === userId
        : (await deps.backend.listRequests(userId, OWNERSHIP_LIST_LIMIT, inLanguage)).some((item) => item.id === request.id);
    if (owned) return { kind: 'owned', details: request };
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    if (error.status !== 404) {
      deps.log.error({ err: error }, 'loading a request failed');
      return { kind: 'unavailable' };
    }
  }
  deps.log.warn({ request_id: requestId, handler: deps.handler }, 'request refused: not found or not owned by the person');
  return { kind: 'not-found' };
}
